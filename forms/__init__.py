"""The domain of 报送助手: campaign data, attachments, rules, workspace, Excel in/out. No Qt here."""
