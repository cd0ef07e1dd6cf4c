"""Management reports: the day's (or a period's) report and the monthly assessment, as CSV and XLSX."""
