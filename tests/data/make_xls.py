#!/usr/bin/python3
# Writes roster.xls, the legacy-Excel fixture of tests/test_tabular.c (see README).
import datetime
import xlwt

wb = xlwt.Workbook(encoding="utf-8")
ws = wb.add_sheet("花名册")
date = xlwt.easyxf(num_format_str="yyyy-mm-dd")
cjk_date = xlwt.easyxf(num_format_str='yyyy"年"m"月"d"日"')
rows = [
    ["单位名称", "姓名", "身份证号", "入编时间", "编制数", "月工资", "备注"],
    ["成县教育局", "张伟", "621221198503150012", datetime.date(2012, 3, 5), 35, 4567.5, "  前后有空格  "],
    ["成县卫生健康局", "李娜", 621221199001010028, datetime.date(2015, 9, 1), 28, 3800, ""],
]
for r, row in enumerate(rows):
    for c, v in enumerate(row):
        if isinstance(v, datetime.date):
            ws.write(r, c, v, date if r == 1 else cjk_date)
        elif v != "":
            ws.write(r, c, v)
# row 4 left blank; row 5 has a gap (columns B and D empty)
ws.write(4, 0, "成县财政局")
ws.write(4, 2, "621221197811230035")
ws.write(4, 4, 12)
other = wb.add_sheet("说明")
other.write(0, 0, "第二张表不读")
wb.save("roster.xls")
