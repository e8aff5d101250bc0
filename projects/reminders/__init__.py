"""催报 and 督办: reporting deadlines, the daily reminder schedule, its channels (in-app,
e-mail, group robot) and the pages of the office's 填报情况 and everyone's notifications."""
