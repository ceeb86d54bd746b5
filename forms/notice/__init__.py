"""The year's notice as data: the campaign (data/campaign-*.json), the attachments' columns, the questionnaire.
May import forms.base only."""
