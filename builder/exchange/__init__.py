"""Import and export: the catalog's items, power list and fee list as the spreadsheets offices already keep.

``gongkai import`` reads .xlsx workbooks and .csv files (headers matched by their Chinese names, see
``headers``), checks every row against the model and the validator, and writes catalog files only when nothing is
wrong; ``gongkai export`` writes the catalog back to a workbook or CSV file that the import reads unchanged.
"""
