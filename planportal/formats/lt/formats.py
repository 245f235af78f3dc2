# Lithuanian formats as the municipality writes them in its documents:
# "2021-11-25", "2021 m. lapkričio 25 d.", "1 234 567,89" (a no-break space
# groups thousands; Django's stock Lithuanian locale uses a dot).
DATE_FORMAT = r"Y \m. E j \d."
SHORT_DATE_FORMAT = "Y-m-d"
DATETIME_FORMAT = r"Y \m. E j \d. H:i"
SHORT_DATETIME_FORMAT = "Y-m-d H:i"
TIME_FORMAT = "H:i"
YEAR_MONTH_FORMAT = r"Y \m. F"
MONTH_DAY_FORMAT = r"E j \d."
FIRST_DAY_OF_WEEK = 1
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%Y.%m.%d"]
DATETIME_INPUT_FORMATS = ["%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d"]
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "\xa0"
NUMBER_GROUPING = 3
