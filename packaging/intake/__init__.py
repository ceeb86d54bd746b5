"""The office's side (考评办收件): open every department's archive with the phoned password, check it with
the same rules, keep one status per department, write the status table, the merged frames and the sample.

Qt-free: the `intake` command (cli.intake) and the window (gui.intake) both use it.
"""
