#!/usr/bin/env python3
"""The policy book's defaults: every parameter the rules use, dated, with region, unit, legal basis
and verification label (RULES.md §0). The district's own figures (PROGRAMS.md) win; labels:
V verified, V-2 secondary source, M well known, A assumption to set locally, D the district's own.

Edit here, run `python3 tools/policy_defaults.py`, commit the JSON it writes to
Sources/ShebaoCore/Resources/policy/defaults.json. `shebao migrate` loads rows not yet in the
database; values entered or approved by users are never overwritten.
"""
import json, os

NATION, ZJ, TZ, DISTRICT = "000000000000", "330000000000", "331000000000", "331004000000"
rows = []

def p(key, region, valid_from, kind, value, unit, basis, label):
    # Money is stored in fen but shown in yuan, so its unit reads in yuan.
    if kind == "money" and unit.startswith("fen"):
        unit = "yuan" + unit[3:]
    rows.append({"key": key, "region": region, "validFrom": valid_from, "value": {"kind": kind, "value": value},
                 "unit": unit, "legalBasis": basis, "label": label})

def money(yuan): return round(yuan * 100)

# Every parameter a rule reads has a value from the start of its scheme — pension 1995, work injury
# 1996-10, maternity 1998, medical and unemployment 1999, dibao 1997-07, the district's assistance
# measures 2004 — to 2026, so that a back-paid 1995 contribution, a 1997 award or a 2017 adjustment
# is computed rather than refused for a missing parameter. Figures the seed or RULES.md gives are
# labelled as such; the rest are placeholders (A) a district replaces with its published values.

# Wages and the economy (RULES.md §1.1, §3, §4; PROGRAMS.md §6 context)
for year, yuan in [(1995, 450), (1996, 520), (1997, 580), (1998, 640), (1999, 720), (2000, 800), (2001, 950), (2002, 1100),
                   (2003, 1500), (2004, 1650), (2005, 1750), (2006, 1900), (2007, 2100), (2008, 2400), (2009, 2600), (2010, 2800),
                   (2011, 3100), (2012, 3400), (2013, 3700), (2014, 4000), (2015, 4400), (2016, 4800), (2017, 5200), (2018, 5600),
                   (2019, 5900), (2020, 6200), (2021, 6500), (2022, 6900), (2023, 7200), (2024, 7500), (2025, 7800), (2026, 8100)]:
    p("wage.reference.monthly", ZJ, f"{year}-01-01", "money", money(yuan), "fen/month",
      "浙江省职工基本养老保险条例 第9条、第32条（上年度全省在岗职工月平均工资）；数值为占位，应按当年公布值设置", "A")
for year, yuan in [(1995, 400), (1998, 600), (2000, 800), (2003, 1200), (2006, 1800), (2009, 2800), (2012, 4000), (2016, 5000), (2020, 6000), (2024, 6500)]:
    p("wage.local_average.monthly", TZ, f"{year}-01-01", "money", money(yuan), "fen/month", "工伤保险条例 第64条（统筹地区上年度职工月平均工资）；占位", "A")
for year, yuan in [(1995, 4800), (1998, 7200), (2000, 9600), (2003, 14400), (2006, 21600), (2010, 45000), (2015, 55000), (2020, 65000), (2024, 70000)]:
    p("wage.local_average.annual", TZ, f"{year}-01-01", "money", money(yuan), "fen/year", "统筹地区上年度职工年平均工资；占位", "A")
for date, yuan in [("1995-01-01", 210), ("1997-01-01", 270), ("1999-01-01", 320), ("2001-01-01", 410), ("2003-01-01", 520), ("2004-12-01", 620), ("2008-01-01", 960), ("2011-04-01", 1310), ("2015-11-01", 1860),
                   ("2017-12-01", 2010), ("2021-08-01", 2280), ("2025-01-01", 2490)]:
    p("wage.minimum.monthly", ZJ, date, "money", money(yuan), "fen/month", "浙江省最低工资标准（一档）；占位", "A")
# Row Y holds the income of year Y − 1 (the 2010 regulation uses the previous year's figure).
for date, yuan in [("2011-01-01", 19109), ("2012-01-01", 21810), ("2013-01-01", 24565), ("2014-01-01", 26955), ("2015-01-01", 28844),
                   ("2016-01-01", 31195), ("2017-01-01", 33616), ("2018-01-01", 36396), ("2019-01-01", 39251), ("2020-01-01", 42359),
                   ("2021-01-01", 43834), ("2022-01-01", 47412), ("2023-01-01", 49283), ("2024-01-01", 51821), ("2025-01-01", 54188)]:
    p("economy.national_urban_disposable_income", NATION, date, "money", money(yuan), "fen/year",
      "国家统计局：上年度全国城镇居民人均可支配收入（工伤保险条例 第39条）", "M")
# The previous year's rural per-capita net income (from 2014 the disposable income that replaced it).
for year, yuan in [(1995, 2800), (1996, 3200), (1997, 3600), (1998, 3900), (1999, 4200), (2000, 4500), (2001, 4900), (2002, 5500), (2003, 5800),
                   (2005, 6700), (2006, 7400), (2007, 8200), (2008, 9100), (2009, 10000), (2010, 10900), (2011, 12300), (2012, 14000),
                   (2013, 15600), (2014, 17300), (2015, 19200), (2016, 21000), (2017, 23000), (2018, 25200), (2019, 27500), (2020, 29500),
                   (2021, 32300), (2022, 34600), (2023, 36900), (2024, 39300), (2025, 41500), (2026, 43700)]:
    p("economy.rural_net_income", DISTRICT, f"{year}-01-01", "money", money(yuan), "fen/year",
      "上年农民人均纯收入（2014年起为农村常住居民人均可支配收入）；按2004年区情数值前后推算的占位", "A")
p("economy.rural_net_income", DISTRICT, "2004-01-01", "money", money(6145), "fen/year", "区情：上年农民人均纯收入 6,145 元（PROGRAMS.md §6）", "D")

# Contributions (RULES.md §1.1, §2, §3, §4.1, §5)
p("contribution.base.floor_share", ZJ, "1995-01-01", "rate", "0.6", "share of reference wage", "国发〔1995〕6号、国发〔1997〕26号（缴费工资低于60%按60%、高于300%按300%）", "M")
p("contribution.base.ceiling_share", ZJ, "1995-01-01", "rate", "3", "share of reference wage", "国发〔1995〕6号、国发〔1997〕26号", "M")
p("pension.self_employed.floor_share", ZJ, "1995-01-01", "rate", "0.8", "share of reference wage", "个体劳动者参保办法；假设与1999年条例相同", "A")
p("pension.rate.self_employed", ZJ, "1995-01-01", "rate", "0.2", "of base", "个体劳动者参保办法；假设与1999年条例相同", "A")
p("contribution.base.floor_share", ZJ, "1999-01-01", "rate", "0.6", "share of reference wage", "浙江省职工基本养老保险条例 第9条", "V")
p("contribution.base.ceiling_share", ZJ, "1999-01-01", "rate", "3", "share of reference wage", "浙江省职工基本养老保险条例 第9条", "V")
p("pension.self_employed.floor_share", ZJ, "1999-01-01", "rate", "0.8", "share of reference wage", "浙江省职工基本养老保险条例 第11条", "V")
for year, rate in [(1995, "0.03"), (1997, "0.04"), (1999, "0.05"), (2001, "0.06")]:
    p("pension.rate.individual", ZJ, f"{year}-01-01", "rate", rate, "of base", "国发〔1997〕26号：1997年不低于4%，每两年提高1个百分点至8%；浙江各年实际比例为占位", "A")
p("pension.rate.employer", ZJ, "1995-01-01", "rate", "0.14", "of base", "台州1995年企业缴费比例未找到；占位14%", "A")
p("pension.rate.individual", ZJ, "2003-01-01", "rate", "0.07", "of base", "国发〔1997〕26号 逐步提高至8%；浙江2003—2005年实际比例未找到，占位7%", "A")
p("pension.rate.individual", ZJ, "2006-01-01", "rate", "0.08", "of base", "浙江省职工基本养老保险条例 第9条（8%）；生效日期为假设", "V")
p("pension.rate.employer", ZJ, "2003-01-01", "rate", "0.14", "of base", "浙江省职工基本养老保险条例 第10条（一般不超过20%）；台州2003年比例占位14%", "A")
p("pension.rate.employer", ZJ, "2019-05-01", "rate", "0.16", "of base", "国办发〔2019〕13号（降至16%）", "M")
p("pension.rate.self_employed", ZJ, "1999-01-01", "rate", "0.2", "of base", "浙江省职工基本养老保险条例 第11条", "V")
p("pension.account_credit_rate", ZJ, "1995-01-01", "rate", "0.11", "of base", "国发〔1995〕6号；1998年以前浙江记账比例未找到，按11%占位", "A")
p("pension.account_credit_rate", ZJ, "1998-01-01", "rate", "0.11", "of base", "国发〔1997〕26号（个人账户按11%记账）", "M")
p("pension.account_credit_rate", ZJ, "2006-01-01", "rate", "0.08", "of base", "国发〔2005〕38号；浙江省职工基本养老保险条例 第24条", "M")
for year, rate in [(1995, "0.1098"), (1996, "0.0747"), (1997, "0.0567"), (1998, "0.0378"), (1999, "0.0225"), (2002, "0.0198"),
                   (2003, "0.0225"), (2008, "0.0414"), (2012, "0.035")]:
    p("pension.account_interest_rate", ZJ, f"{year}-01-01", "rate", rate, "per year", "浙江省公布的个人账户记账利率（参照一年期存款利率）；占位", "A")
for year, rate in [(2016, "0.0831"), (2017, "0.0712"), (2018, "0.0829"), (2019, "0.0761"), (2020, "0.0604"), (2021, "0.0669"),
                   (2022, "0.0612"), (2023, "0.0397"), (2024, "0.0262")]:
    p("pension.account_interest_rate", ZJ, f"{year}-01-01", "rate", rate, "per year", f"人社部、财政部公布的{year}年职工基本养老保险个人账户记账利率", "M")
p("medical.rate.individual", ZJ, "1999-01-01", "rate", "0.02", "of base", "国发〔1998〕44号", "M")
p("medical.rate.employer", ZJ, "1999-01-01", "rate", "0.06", "of base", "国发〔1998〕44号（6%左右）；台州比例占位", "A")
# Struggling enterprises: the unit's pooled part alone (6% less the 30% moved to accounts).
p("medical.inpatient_only.rate.employer", ZJ, "1999-01-01", "rate", "0.042", "of base", "困难企业先参加住院医疗费统筹（国发〔1998〕44号）；费率占位", "A")
p("medical.account_share_of_employer", ZJ, "1999-01-01", "rate", "0.3", "of employer contribution", "国发〔1998〕44号（约30%划入个人账户）", "M")
p("medical.account_share_of_employer", ZJ, "2021-01-01", "rate", "0", "of employer contribution", "国办发〔2021〕14号（在职职工个人账户只计入个人缴费）", "M")
p("unemployment.rate.individual", ZJ, "1999-01-22", "rate", "0.01", "of base", "失业保险条例 第6条", "V")
p("unemployment.rate.employer", ZJ, "1999-01-22", "rate", "0.02", "of base", "失业保险条例 第6条", "V")
p("unemployment.rate.individual", ZJ, "2017-01-01", "rate", "0.005", "of base", "阶段性降低失业保险费率（2015—2017年文件）", "M")
p("unemployment.rate.employer", ZJ, "2017-01-01", "rate", "0.005", "of base", "阶段性降低失业保险费率（2015—2017年文件）", "M")
p("work_injury.base_rate_bp", NATION, "1996-10-01", "table", {"1": 50, "2": 100, "3": 200}, "basis points by risk class",
  "劳部发〔1996〕266号 企业职工工伤保险试行办法（按行业差别费率，平均约1%）；按2003年三类费率占位", "A")
p("work_injury.float_factor", ZJ, "1996-10-01", "rate", "1", "of base rate", "浮动费率，单位无浮动时为100%", "A")
p("work_injury.base_rate_bp", NATION, "2004-01-01", "table", {"1": 50, "2": 100, "3": 200}, "basis points by risk class", "劳社部发〔2003〕29号（三类行业基准费率）", "M")
p("work_injury.base_rate_bp", NATION, "2015-10-01", "table", {"1": 20, "2": 40, "3": 70, "4": 90, "5": 110, "6": 130, "7": 160, "8": 190},
  "basis points by risk class", "人社部发〔2015〕71号（八类行业基准费率）", "V-2")
p("work_injury.float_factor", ZJ, "2004-01-01", "rate", "1", "of base rate", "浮动费率，单位无浮动时为100%", "A")
p("maternity.rate.employer", ZJ, "1998-01-01", "rate", "0.008", "of base", "企业职工生育保险试行办法（劳部发〔1994〕504号，不超过1%）；区比例占位", "A")
p("maternity.rate.employer", ZJ, "1998-12-01", "rate", "0.008", "of base", "企业职工生育保险试行办法（不超过1%）；区比例占位", "A")
p("late_surcharge.daily_rate", NATION, "1999-01-22", "rate", "0.002", "per day", "社会保险费征缴暂行条例 第13条；浙江省职工基本养老保险条例 第52条", "V")
p("late_surcharge.daily_rate", NATION, "2011-07-01", "rate", "0.0005", "per day", "社会保险法 第86条", "V")
p("disabled_levy.late_daily_rate", NATION, "1995-01-01", "rate", "0.005", "per day", "残疾人就业保障金管理暂行规定（1995）；按2007年条例的5‰占位", "A")
p("disabled_levy.late_daily_rate", NATION, "2007-05-01", "rate", "0.005", "per day", "残疾人就业条例 第27条", "V")

# Retirement (RULES.md §1.3)
for cat, age in [("male", 60), ("female_cadre", 55), ("female_worker", 50)]:
    p(f"retirement.age.{cat}", NATION, "1978-06-02", "integer", age, "years", "国发〔1978〕104号", "M")
p("retirement.reform_start", NATION, "2024-09-13", "integer", 202501, "yyyymm", "全国人大常委会关于实施渐进式延迟法定退休年龄的决定（2024-09-13）", "V-2")
for cat, step, cap in [("male", 4, 36), ("female_cadre", 4, 36), ("female_worker", 2, 60)]:
    p(f"retirement.delay_step.{cat}", NATION, "2024-09-13", "integer", step, "months of original date per month of delay", "国务院关于渐进式延迟法定退休年龄的办法", "V-2")
    p(f"retirement.max_delay.{cat}", NATION, "2024-09-13", "integer", cap, "months", "国务院关于渐进式延迟法定退休年龄的办法", "V-2")
p("retirement.min_contribution_months", NATION, "1995-01-01", "table", {"1995": 120, "1998": 180}, "months by retirement year",
  "国发〔1978〕104号（连续工龄满10年）；国发〔1997〕26号（1998年起累计缴费满15年）", "M")
p("retirement.flexible_early_months", NATION, "2024-09-13", "integer", 36, "months", "国务院关于渐进式延迟法定退休年龄的办法：弹性提前退休最长3年，不得低于原法定退休年龄", "V-2")
p("retirement.flexible_defer_months", NATION, "2024-09-13", "integer", 36, "months", "国务院关于渐进式延迟法定退休年龄的办法：经单位同意可弹性延迟，最长3年", "V-2")
p("retirement.disability_age.male", NATION, "1978-06-02", "integer", 50, "years", "国发〔1978〕104号（完全丧失劳动能力）", "M")
p("retirement.disability_age.female", NATION, "1978-06-02", "integer", 45, "years", "国发〔1978〕104号（完全丧失劳动能力）", "M")
p("pension.transition_min_months", ZJ, "1995-01-01", "integer", 120, "months", "国发〔1978〕104号（满10年）", "M")
p("pension.transition_min_months", ZJ, "1998-01-01", "integer", 120, "months",
  "浙江省职工基本养老保险条例 第31条：1998年前参加工作、1998年至2010年退休的，缴费（含视同）满10年", "V")
p("pension.transition_min_months", ZJ, "2011-01-01", "integer", 180, "months", "浙江省职工基本养老保险条例 第31条：过渡期至2010年底结束", "V")
p("pension.short_service.lump_sum", ZJ, "1995-01-01", "choice", "balance_and_months", "balance_and_months | balance_only",
  "缴费不满年限的一次性支付：个人账户储存额，并按满1年发给1个月指数化工资（浙江条例第34条）；1998年前沿用为假设", "A")
p("pension.short_service.lump_sum", ZJ, "1998-01-01", "choice", "balance_and_months", "balance_and_months | balance_only", "浙江省职工基本养老保险条例 第34条", "V")
p("pension.short_service.lump_sum", ZJ, "2011-07-01", "choice", "balance_only", "balance_and_months | balance_only",
  "社会保险法 第16条：可缴费至满15年，或转入新型农村（城镇居民）社会养老保险", "M")
p("retirement.min_contribution_months", NATION, "2024-09-13", "table",
  {"1998": 180, **{str(2029 + i): 180 + 6 * i for i in range(1, 11)}}, "months by retirement year", "国务院关于渐进式延迟法定退休年龄的办法（2030年起每年提高6个月至20年）", "V-2")

# Pension award and adjustment (RULES.md §1.4–1.6)
p("pension.formula", ZJ, "1995-01-01", "choice", "1997", "formula", "国发〔1995〕6号；1998年以前按1997年办法计发为假设", "A")
p("pension.old.basic_share", ZJ, "1995-01-01", "rate", "0.2", "of reference wage", "国发〔1995〕6号；按1997年办法占位", "A")
p("pension.old.payout_months", ZJ, "1995-01-01", "integer", 120, "months", "国发〔1995〕6号；按1997年办法占位", "A")
p("pension.index_floor", NATION, "1995-01-01", "rate", "0.6", "index", "缴费基数60%下限对应的指数下限", "M")
p("pension.index_ceiling", NATION, "1995-01-01", "rate", "3", "index", "缴费基数300%上限对应的指数上限", "M")
p("pension.formula", ZJ, "1998-01-01", "choice", "1997", "formula", "国发〔1997〕26号", "M")
p("pension.formula", ZJ, "2006-01-01", "choice", "2005", "formula", "国发〔2005〕38号；浙江实施日期为假设", "A")
p("pension.old.basic_share", ZJ, "1998-01-01", "rate", "0.2", "of reference wage", "国发〔1997〕26号", "M")
p("pension.old.payout_months", ZJ, "1998-01-01", "integer", 120, "months", "国发〔1997〕26号", "M")
p("pension.index_floor", NATION, "2006-01-01", "rate", "0.6", "index", "缴费基数60%下限对应的指数下限", "V-2")
p("pension.index_ceiling", NATION, "2006-01-01", "rate", "3", "index", "缴费基数300%上限对应的指数上限", "V-2")
p("pension.years_mode", ZJ, "2006-01-01", "choice", "exact_months", "exact_months | full_years", "“每满1年发给1%”的计算口径，按月精确计算为假设", "A")
p("pension.payout_months", NATION, "2006-01-01", "table",
  {"40": 233, "41": 230, "42": 226, "43": 223, "44": 220, "45": 216, "46": 212, "47": 208, "48": 204, "49": 199, "50": 195,
   "51": 190, "52": 185, "53": 180, "54": 175, "55": 170, "56": 164, "57": 158, "58": 152, "59": 145, "60": 139,
   "61": 132, "62": 125, "63": 117, "64": 109, "65": 101, "66": 93, "67": 84, "68": 75, "69": 65, "70": 56},
  "months by age", "国发〔2005〕38号 附件：个人账户养老金计发月数表", "V-2")
p("pension.transition_coefficient", ZJ, "2006-01-01", "rate", "0.012", "per year", "浙江省职工基本养老保险条例 第32条（过渡系数由省规定）；1.2%为占位", "A")
# Survival certification (RULES.md §1.7): a yearly cycle and a grace period, both local [A].
p("pension.survival.cycle_months", ZJ, "1999-01-01", "integer", 12, "months",
  "领取资格认证每年一次（人社部门规定；2018年起以数据比对为主），周期按本地规定", "A")
p("pension.survival.grace_months", ZJ, "1999-01-01", "integer", 3, "months", "逾期未认证的宽限期，期满次月起暂停发放；按本地规定", "A")
p("pension.minimum_share", ZJ, "2006-01-01", "rate", "0.6", "of local average basic pension", "浙江省职工基本养老保险条例 第37条", "V")
# Yearly adjustments (RULES.md §1.6): the national overall level each year; Zhejiang's split into a
# flat amount, an amount per contribution year and a percentage is a placeholder except where noted.
OVERALL = {**{y: "0.10" for y in range(2005, 2016)}, 2016: "0.065", 2017: "0.055", 2018: "0.05", 2019: "0.05", 2020: "0.05",
           2021: "0.045", 2022: "0.04", 2023: "0.038", 2024: "0.03", 2025: "0.02", 2026: "0.02"}
for year in range(1995, 2027):
    if year < 2005:
        flat, per_year, pct, ages, basis = 20, 0, "0", {}, f"{year}年基本养老金调整由省、市自行确定；定额20元为占位"
    elif (year, True) in [(2024, True), (2025, True)]:
        flat, per_year, pct = {2024: (25, 1, "0.013"), 2025: (20, 1, "0.009")}[year]
        ages, basis = {"70": 2000, "75": 3000, "80": 5000}, f"{year}年调整基本养老金的浙江实施办法；占位"
    else:
        overall = float(OVERALL[year])
        flat, per_year, pct = round(1500 * overall * 0.3), 1, f"{overall * 0.5:.4f}"
        ages, basis = {"70": 2000, "75": 3000, "80": 5000}, f"{year}年调整基本养老金（全国总体调整水平约{overall * 100:g}%）；浙江分项为占位"
    p("pension.adjustment.flat", ZJ, f"{year}-01-01", "money", money(flat), "fen/month", basis, "A")
    p("pension.adjustment.per_year", ZJ, f"{year}-01-01", "money", money(per_year), "fen/month per year", basis, "A")
    p("pension.adjustment.percent", ZJ, f"{year}-01-01", "rate", pct, "of current pension", basis, "A")
    p("pension.adjustment.age_supplement", ZJ, f"{year}-01-01", "table", ages, "fen/month from age", "高龄倾斜；占位", "A")

# Unemployment (RULES.md §3)
p("unemployment.min_contribution_months", NATION, "1999-01-22", "integer", 12, "months", "失业保险条例 第14条", "V")
p("unemployment.duration_months", NATION, "1999-01-22", "table", {"12": 12, "60": 18, "120": 24}, "months by contribution months", "失业保险条例 第17条", "V")
p("unemployment.max_months", NATION, "1999-01-22", "integer", 24, "months", "失业保险条例 第17条", "V")
p("unemployment.benefit_share", ZJ, "1999-01-22", "rate", "0.9", "of minimum wage", "失业保险条例 第18条（低于最低工资、高于低保）；浙江比例占位", "A")
# Training and placement subsidies (Art. 10(4)): the province's share of the cost and cap per person and event [A].
p("unemployment.subsidy.training.share", ZJ, "1999-01-22", "rate", "1", "of eligible cost", "失业保险条例 第10条第4项（职业培训补贴，省定标准）；占位", "A")
p("unemployment.subsidy.training.cap", ZJ, "1999-01-22", "money", money(600), "yuan/event", "职业培训补贴标准；占位", "A")
p("unemployment.subsidy.training.cap", ZJ, "2010-01-01", "money", money(1200), "yuan/event", "职业培训补贴标准；占位", "A")
p("unemployment.subsidy.placement.share", ZJ, "1999-01-22", "rate", "1", "of eligible cost", "失业保险条例 第10条第4项（职业介绍补贴，省定标准）；占位", "A")
p("unemployment.subsidy.placement.cap", ZJ, "1999-01-22", "money", money(100), "yuan/event", "职业介绍补贴标准；占位", "A")
p("unemployment.subsidy.placement.cap", ZJ, "2010-01-01", "money", money(300), "yuan/event", "职业介绍补贴标准；占位", "A")

# Work injury (RULES.md §4)
p("work_injury.own_wage.floor_share", NATION, "1996-10-01", "rate", "0.6", "of local average", "劳部发〔1996〕266号 企业职工工伤保险试行办法", "M")
p("work_injury.own_wage.ceiling_share", NATION, "1996-10-01", "rate", "3", "of local average", "劳部发〔1996〕266号 企业职工工伤保险试行办法", "M")
p("work_injury.lump_sum_months", NATION, "1996-10-01", "table", {str(g): m for g, m in zip(range(1, 11), [24, 22, 20, 18, 16, 14, 12, 10, 8, 6])},
  "months of own wage by grade", "劳部发〔1996〕266号 企业职工工伤保险试行办法", "M")
p("work_injury.allowance_percent", NATION, "1996-10-01", "table", {"1": 90, "2": 85, "3": 80, "4": 75, "5": 70, "6": 60}, "percent of own wage by grade",
  "劳部发〔1996〕266号；5—6级比例按2003年条例占位", "A")
p("work_injury.nursing_percent", NATION, "1996-10-01", "table", {"1": 30, "2": 40, "3": 50}, "percent of local average by dependency (partial, major, full)",
  "劳部发〔1996〕266号 企业职工工伤保险试行办法", "M")
p("work_injury.funeral_months", NATION, "1996-10-01", "integer", 6, "months of local average wage", "劳部发〔1996〕266号 企业职工工伤保险试行办法", "M")
p("work_injury.death_subsidy.mode", NATION, "1996-10-01", "choice", "local_months", "local_months | national_income", "劳部发〔1996〕266号（48至60个月）", "M")
p("work_injury.death_subsidy.months", ZJ, "1996-10-01", "integer", 60, "months of local average wage", "劳部发〔1996〕266号（48至60个月）；浙江取值占位", "A")
for part, percent in [("spouse", 40), ("other", 30), ("lone_extra", 10)]:
    key = f"work_injury.survivor.{part}_percent"
    p(key, NATION, "1996-10-01", "integer", percent, "percent of deceased's wage", "劳部发〔1996〕266号 企业职工工伤保险试行办法", "M")
p("work_injury.own_wage.floor_share", NATION, "2004-01-01", "rate", "0.6", "of local average", "工伤保险条例 第64条", "V")
p("work_injury.own_wage.ceiling_share", NATION, "2004-01-01", "rate", "3", "of local average", "工伤保险条例 第64条", "V")
p("work_injury.lump_sum_months", NATION, "2004-01-01", "table", {str(g): m for g, m in zip(range(1, 11), [24, 22, 20, 18, 16, 14, 12, 10, 8, 6])},
  "months of own wage by grade", "工伤保险条例（2003）第33—35条", "M")
p("work_injury.lump_sum_months", NATION, "2011-01-01", "table", {str(g): m for g, m in zip(range(1, 11), [27, 25, 23, 21, 18, 16, 13, 11, 9, 7])},
  "months of own wage by grade", "工伤保险条例（2010）第35—37条", "V")
p("work_injury.allowance_percent", NATION, "2004-01-01", "table", {"1": 90, "2": 85, "3": 80, "4": 75, "5": 70, "6": 60}, "percent of own wage by grade",
  "工伤保险条例 第35—36条", "V")
p("work_injury.nursing_percent", NATION, "2004-01-01", "table", {"1": 30, "2": 40, "3": 50}, "percent of local average by dependency (partial, major, full)",
  "工伤保险条例 第34条", "V")
p("work_injury.funeral_months", NATION, "2004-01-01", "integer", 6, "months of local average wage", "工伤保险条例 第39条", "V")
# A retiree's death (RULES.md §1.7): provincial amounts, Social Insurance Law Art. 17 [A].
p("pension.death.funeral_months", ZJ, "1995-01-01", "integer", 3, "months of local average wage", "社会保险法第17条（丧葬补助金按省规定）；占位", "A")
p("pension.death.survivor_months", ZJ, "1995-01-01", "integer", 6, "months of local average wage", "社会保险法第17条（抚恤金按省规定）；占位", "A")
p("work_injury.death_subsidy.mode", NATION, "2004-01-01", "choice", "local_months", "local_months | national_income", "工伤保险条例（2003）第37条", "M")
p("work_injury.death_subsidy.mode", NATION, "2011-01-01", "choice", "national_income", "local_months | national_income", "工伤保险条例（2010）第39条", "V")
p("work_injury.death_subsidy.months", ZJ, "2004-01-01", "integer", 60, "months of local average wage", "工伤保险条例（2003）第37条（48至60个月，由省规定）；浙江取值占位", "A")
p("work_injury.death_subsidy.income_multiple", NATION, "2011-01-01", "integer", 20, "times national urban disposable income", "工伤保险条例 第39条", "V")
p("work_injury.survivor.spouse_percent", NATION, "2004-01-01", "integer", 40, "percent of deceased's wage", "工伤保险条例 第39条", "V")
p("work_injury.survivor.other_percent", NATION, "2004-01-01", "integer", 30, "percent of deceased's wage", "工伤保险条例 第39条", "V")
p("work_injury.survivor.lone_extra_percent", NATION, "2004-01-01", "integer", 10, "percent of deceased's wage", "工伤保险条例 第39条", "V")

# Maternity (RULES.md §5)
p("maternity.leave_days", NATION, "1994-01-01", "integer", 90, "days", "女职工劳动保护规定（1988）", "M")
p("maternity.leave_days", NATION, "2012-04-28", "integer", 98, "days", "女职工劳动保护特别规定 第7条", "V")
p("maternity.difficult_birth_extra_days", NATION, "1994-01-01", "integer", 15, "days", "女职工劳动保护特别规定 第7条", "V")
p("maternity.extra_baby_days", NATION, "1994-01-01", "integer", 15, "days per extra baby", "女职工劳动保护特别规定 第7条", "V")
p("maternity.miscarriage_days.before_4_months", NATION, "1994-01-01", "integer", 15, "days", "女职工劳动保护特别规定 第7条", "V")
p("maternity.miscarriage_days.from_4_months", NATION, "1994-01-01", "integer", 42, "days", "女职工劳动保护特别规定 第7条", "V")
p("maternity.local_extra_days", ZJ, "2021-11-25", "table", {"1": 60, "2": 90, "3": 90}, "days by child order", "浙江省人口与计划生育条例（2021）", "V")
# The birth's medical costs as a local lump sum per kind of event (RULES.md §5: "locally set" [A]).
for date, birth, difficult, miscarriage in [("1998-01-01", 1200, 2000, 300), ("2012-04-28", 3000, 4500, 800)]:
    p("maternity.medical.birth", ZJ, date, "money", money(birth), "yuan/event", "生育医疗费定额（顺产）；占位", "A")
    p("maternity.medical.difficult_birth", ZJ, date, "money", money(difficult), "yuan/event", "生育医疗费定额（难产、剖宫产）；占位", "A")
    p("maternity.medical.miscarriage", ZJ, date, "money", money(miscarriage), "yuan/event", "生育医疗费定额（流产）；占位", "A")
p("maternity.local_extra_days_paid", ZJ, "2021-11-25", "choice", "yes", "yes | no", "延长产假是否享受生育津贴由地方规定；占位", "A")

# Medical (RULES.md §2, §9)
p("medical.deductible_share", TZ, "1999-01-01", "rate", "0.1", "of local average annual wage", "国发〔1998〕44号（起付标准约为10%）", "M")
p("medical.cap_multiple", TZ, "1999-01-01", "rate", "4", "times local average annual wage", "国发〔1998〕44号（约4倍）", "M")
p("medical.cap_multiple", TZ, "2009-01-01", "rate", "6", "times local average annual wage", "医药卫生体制改革近期重点实施方案（2009—2011年）", "M")
p("medical.pay_rate", TZ, "1999-01-01", "rate", "0.8", "of eligible cost", "统筹基金支付比例由地方规定；占位", "A")
p("medical.pay_rate.level_2", TZ, "1999-01-01", "rate", "0.85", "of eligible cost", "统筹基金支付比例按医院等级由地方规定；占位", "A")
p("medical.pay_rate.level_1", TZ, "1999-01-01", "rate", "0.9", "of eligible cost", "统筹基金支付比例按医院等级由地方规定；占位", "A")
p("medical.pay_rate.retiree_extra", TZ, "1999-01-01", "rate", "0.05", "of eligible cost", "退休人员支付比例适当提高，由地方规定；占位", "A")

# Minimum living guarantee (PROGRAMS.md §4.1: the district's own standards)
for area, earlier, newer in [("street", 180, 210), ("town", 150, 180), ("rural", 110, 180)]:
    p(f"dibao.standard.{area}", DISTRICT, "1997-07-01", "money", money(earlier), "fen/person/month",
      f"区最低生活保障标准（原标准，年{earlier * 12}元）", "D")
    p(f"dibao.standard.{area}", DISTRICT, "2004-01-01", "money", money(newer), "fen/person/month",
      f"区最低生活保障标准（新标准，年{newer * 12}元）；生效日期为假设", "D")
# Raised most years to follow the economy; Taizhou unified urban and rural standards around 2016.
for date, street, town, rural in [("2006-01-01", 260, 230, 220), ("2008-01-01", 300, 280, 260), ("2010-01-01", 360, 340, 320),
                                  ("2012-01-01", 450, 430, 410), ("2014-01-01", 560, 540, 520), ("2016-01-01", 680, 680, 680),
                                  ("2018-01-01", 800, 800, 800), ("2020-01-01", 900, 900, 900), ("2022-01-01", 1010, 1010, 1010),
                                  ("2024-01-01", 1130, 1130, 1130), ("2026-01-01", 1200, 1200, 1200)]:
    for area, yuan in [("street", street), ("town", town), ("rural", rural)]:
        p(f"dibao.standard.{area}", DISTRICT, date, "money", money(yuan), "fen/person/month", "区最低生活保障标准逐年调整；数值为占位", "A")
# Periodic review (城市居民最低生活保障条例 Art. 10; the cycle is local, RULES.md §7.3).
p("dibao.review_months.stable", DISTRICT, "1997-07-01", "integer", 12, "months", "低保对象定期复核：三无、老残家庭每年一次；周期为本地规定", "A")
p("dibao.review_months.working", DISTRICT, "1997-07-01", "integer", 3, "months", "低保对象定期复核：有劳动能力成员的家庭每季度一次；周期为本地规定", "A")
p("dibao.marginal_multiplier", ZJ, "1997-07-01", "rate", "1.5", "times the standard", "浙江省社会救助条例（低保边缘：不超过1.5倍）", "V")
for group, share in [("elderly", "0.1"), ("severely_disabled", "0.2"), ("seriously_ill", "0.2"), ("minors", "0.1")]:
    p(f"dibao.addon.{group}", DISTRICT, "1997-07-01", "rate", share, "of the standard per person", "分类施保；比例为占位", "A")

# Five guarantees and three withouts (PROGRAMS.md §4.2; RULES.md §8)
p("five_guarantees.method", DISTRICT, "1995-01-01", "choice", "rural_income_share", "rural_income_share | dibao_multiple",
  "农村五保供养工作条例（1994）：不低于当地村民一般生活水平；按上年农民人均纯收入比例计为假设", "A")
p("five_guarantees.floor_share", DISTRICT, "1995-01-01", "rate", "0.6", "of previous-year rural net income", "2004年以前沿用60%为假设", "A")
p("five_guarantees.district_subsidy", DISTRICT, "1995-01-01", "money", 0, "fen/person/year", "2004年区办法以前无区财政补助（假设）", "A")
for form, yuan, basis, label in [("centralised", 0, "2004年以前无另定的集中供养标准，按保底标准（假设）", "A"),
                                 ("dispersed", 0, "2004年以前无另定的分散供养标准，按保底标准（假设）", "A")]:
    p(f"five_guarantees.standard.{form}", DISTRICT, "1995-01-01", "money", money(yuan), "fen/person/year", basis, label)
p("five_guarantees.standard.centralised", DISTRICT, "2004-01-01", "money", money(3000), "fen/person/year",
  "区集中供养标准：每人每年3,000元以上（PROGRAMS.md §4.2）", "D")
p("five_guarantees.standard.dispersed", DISTRICT, "2004-01-01", "money", money(1500), "fen/person/year",
  "区分散供养标准：每人每年1,300—1,800元，取中间值（PROGRAMS.md §4.2）", "D")
p("five_guarantees.method", DISTRICT, "2004-01-01", "choice", "rural_income_share", "rural_income_share | dibao_multiple", "农村五保供养工作条例；区标准不低于上年农民人均纯收入的60%", "D")
p("five_guarantees.method", DISTRICT, "2016-02-10", "choice", "dibao_multiple", "rural_income_share | dibao_multiple", "国发〔2016〕14号（特困人员基本生活标准不低于低保标准的1.3倍）", "M")
p("five_guarantees.floor_share", DISTRICT, "2004-01-01", "rate", "0.6", "of previous-year rural net income", "区五保供养标准（PROGRAMS.md §4.2）", "D")
p("five_guarantees.district_subsidy", DISTRICT, "2004-01-01", "money", money(500), "fen/person/year", "区财政每人每年补助500元（PROGRAMS.md §4.2）", "D")
p("five_guarantees.dibao_multiple", DISTRICT, "2016-02-10", "rate", "1.3", "times rural dibao", "国发〔2016〕14号", "M")
p("three_withouts.dibao_multiple", DISTRICT, "1997-07-01", "rate", "1.2", "times urban dibao", "城镇三无人员供养标准略高于城区低保标准；1.2倍为占位", "A")
p("three_withouts.dibao_multiple", DISTRICT, "2004-01-01", "rate", "1.2", "times urban dibao", "城镇三无人员供养标准略高于城区低保标准；1.2倍为占位", "A")
p("three_withouts.dibao_multiple", DISTRICT, "2016-02-10", "rate", "1.3", "times urban dibao", "国发〔2016〕14号（特困人员基本生活标准不低于低保标准的1.3倍）", "M")

# Rural cooperative medical scheme and medical assistance (PROGRAMS.md §4.3; RULES.md §9)
for part, yuan in [("participant", 40), ("town", 10), ("district", 20), ("city", 10)]:
    p(f"ncms.share.{part}", DISTRICT, "2004-01-01", "money", money(yuan), "fen/person/year",
      "区新农合筹资：每人80元＝村及个人40元、镇（街道）10元、区20元、市补助（市补助额为占位）", "D" if part != "city" else "A")
# The centralised-support rate (PROGRAMS.md §4.2, §5 targets): at least 80% of five-guarantees and
# three-withouts persons supported in a home.
p("five_guarantees.centralised_target", DISTRICT, "2004-01-01", "rate", "0.8", "of supported persons", "五保、三无对象集中供养率达80%以上", "D")
# Participation targets (PROGRAMS.md §4.3): at least half in the first year, 90% later.
p("ncms.participation_target", DISTRICT, "2004-01-01", "rate", "0.5", "of eligible residents", "新农合参合率：首年不低于50%（力争70%）", "D")
p("ncms.participation_target", DISTRICT, "2005-01-01", "rate", "0.9", "of eligible residents", "新农合参合率：以后年度不低于90%", "D")
p("ncms.assisted_district_share", DISTRICT, "2004-01-01", "rate", "0.5", "of the own share of dibao and five-guarantees members", "低保、五保对象个人缴费由区、镇各承担50%（PROGRAMS.md §4.3）", "D")
p("ncms.deductible", DISTRICT, "2004-01-01", "money", money(500), "fen/year", "大病统筹起付线；占位", "A")
p("ncms.rate", DISTRICT, "2004-01-01", "rate", "0.4", "of cost above the deductible", "大病统筹补偿比例；占位", "A")
p("ncms.cap", DISTRICT, "2004-01-01", "money", money(20000), "fen/year", "大病统筹封顶线；占位", "A")
# The rural scheme's rate by hospital level (RULES.md §9: the county sets it, often by level) —
# higher in the township health centre than in the city, to keep patients near home.
for level, rate in [("community", "0.5"), ("district", "0.4"), ("city", "0.3")]:
    p(f"ncms.rate.{level}", DISTRICT, "2004-01-01", "rate", rate, "of cost above the deductible", "大病统筹按医院级别分档补偿比例；占位", "A")
p("medical_assistance.deductible", DISTRICT, "2004-01-01", "money", money(1000), "fen/year", "民发〔2003〕158号；起付额为占位", "A")
p("medical_assistance.rate", DISTRICT, "2004-01-01", "rate", "0.5", "of what is left to pay", "民发〔2003〕158号；比例为占位", "A")
p("medical_assistance.cap", DISTRICT, "2004-01-01", "money", money(10000), "fen/year", "民发〔2003〕158号；封顶为占位", "A")

# Education aid (PROGRAMS.md §4.4)
p("education_aid.three_disabilities_free_levels", DISTRICT, "2004-01-01", "table", {"1": 1, "2": 1}, "1 when compulsory schooling is free", "区助学办法：“三残”学生义务教育免费", "D")
p("education_aid.dibao", DISTRICT, "2004-01-01", "table", {"1": money(250), "2": money(300)}, "fen/year by level", "区助学办法：低保家庭学生小学250元、初中300元", "D")
p("education_aid.poor", DISTRICT, "2004-01-01", "table", {"1": money(500), "2": money(700), "3": money(900), "4": money(1000)}, "fen/year by level",
  "区助学办法：贫困学生小学500元、初中700元、高中900元、大学1000元", "D")

# Disabled-employment levy (PROGRAMS.md §4.5; RULES.md §10). The mode is recorded for the district
# at each change, because a district value would otherwise outlive a later provincial rule.
p("disabled_levy.quota", ZJ, "1995-01-01", "rate", "0.015", "of staff", "残疾人就业保障金管理暂行规定（1995）；浙江1.5%", "M")
p("disabled_levy.due_month", DISTRICT, "1995-01-01", "integer", 6, "months", "按年征收，当年6月底前缴清（占位）", "A")
p("disabled_levy.mode", DISTRICT, "1995-01-01", "choice", "flat_per_head", "mode", "区按人计征办法；2003年以前沿用为假设", "A")
p("disabled_levy.flat.public_sector", DISTRICT, "1995-01-01", "money", money(150), "fen/head/year", "2003年以前沿用每人150元为假设", "A")
p("disabled_levy.flat.enterprise", DISTRICT, "1995-01-01", "money", money(100), "fen/head/year", "2003年以前沿用每人100元为假设", "A")
p("disabled_levy.severe_weight", NATION, "1995-01-01", "integer", 1, "persons counted per severely disabled employee", "早期办法未规定加倍；占位", "A")
p("disabled_levy.quota", ZJ, "2003-01-01", "rate", "0.015", "of staff", "残疾人就业条例 第8条；浙江省残疾人保障条例 第20条", "V")
p("disabled_levy.mode", DISTRICT, "2003-01-01", "choice", "flat_per_head", "mode", "区办法：机关、团体、事业单位每人150元，企业、民办非企业单位每人100元（PROGRAMS.md §4.5；按在职职工人数计征为假设）", "D")
p("disabled_levy.mode", DISTRICT, "2010-01-01", "choice", "zhejiang_2009", "mode", "浙江省残疾人保障条例（2009）第20条：差额人数×上年当地职工年平均工资", "V")
p("disabled_levy.mode", DISTRICT, "2015-10-01", "choice", "national_2015", "mode", "财税〔2015〕72号", "M")
p("disabled_levy.mode", DISTRICT, "2020-01-01", "choice", "national_2020", "mode", "财政部公告2019年第98号（延续至2027年底）", "M")
p("disabled_levy.flat.public_sector", DISTRICT, "2003-01-01", "money", money(150), "fen/head/year", "区办法：机关、团体、事业单位每人150元", "D")
p("disabled_levy.flat.enterprise", DISTRICT, "2003-01-01", "money", money(100), "fen/head/year", "区办法：企业、民办非企业单位每人100元", "D")
p("disabled_levy.severe_weight", NATION, "2003-01-01", "integer", 1, "persons counted per severely disabled employee", "早期办法未规定加倍；占位", "A")
p("disabled_levy.severe_weight", NATION, "2015-10-01", "integer", 2, "persons counted per severely disabled employee", "财税〔2015〕72号（一、二级残疾按2人计算）", "M")
p("disabled_levy.exempt_staff", NATION, "2020-01-01", "integer", 30, "staff", "财政部公告2019年第98号", "M")
p("disabled_levy.wage_cap_multiple", NATION, "2020-01-01", "rate", "2", "times local average wage", "财政部公告2019年第98号", "M")
p("disabled_levy.discount.below_one_percent", NATION, "2020-01-01", "rate", "0.9", "of the levy", "财政部公告2019年第98号", "M")
p("disabled_levy.discount.below_quota", NATION, "2020-01-01", "rate", "0.5", "of the levy", "财政部公告2019年第98号", "M")

# Welfare homes (PROGRAMS.md §4.2): the district pays a third of renovation and extension, and
# 7,000 per new bed where beds and common rooms give at least 25 m² per resident.
p("welfare_home.renovation_divisor", DISTRICT, "2004-01-01", "integer", 3, "the subsidy is the cost divided by this",
  "区财政对敬老院、福利院改造、扩建按1/3的标准补助（PROGRAMS.md §4.2）", "D")
p("welfare_home.bed_subsidy", DISTRICT, "2004-01-01", "money", money(7000), "fen/new bed", "每新增一张床位区财政补助7,000元（PROGRAMS.md §4.2）", "D")
p("welfare_home.min_area_per_resident", DISTRICT, "2004-01-01", "integer", 25, "m² of bed and common space per resident",
  "经验收床位和公共用房面积人均不少于25平方米（PROGRAMS.md §4.2）", "D")

# Land-requisitioned farmers (PROGRAMS.md §4.6; RULES.md §11)
p("land_requisition.child_age", ZJ, "2003-01-01", "integer", 16, "years", "浙政发〔2003〕26号（年龄分组为假设）", "A")
p("land_requisition.elderly_age.male", ZJ, "2003-01-01", "integer", 60, "years", "浙江省被征地农民基本生活保障办法", "V-2")
p("land_requisition.elderly_age.female", ZJ, "2003-01-01", "integer", 55, "years", "浙江省被征地农民基本生活保障办法", "V-2")
p("land_requisition.minimum", ZJ, "2003-01-01", "choice", "tier_only", "tier_only | urban_dibao", "浙政发〔2003〕26号", "A")
p("land_requisition.minimum", ZJ, "2010-01-01", "choice", "urban_dibao", "tier_only | urban_dibao", "浙江省政府令（2010-01-01施行）：不低于当地城镇低保标准", "V-2")
for part, share in [("government", "0.3"), ("collective", "0.4"), ("individual", "0.3")]:
    p(f"land_requisition.share.{part}", ZJ, "2003-01-01", "rate", share, "of the contribution", "政府出资不低于30%，集体和个人从补偿安置费中列支；比例为占位", "A")

# Temporary relief (PROGRAMS.md §4.7): a grant up to what is left of the year's cap per person.
p("relief.temporary.yearly_cap", DISTRICT, "2004-01-01", "money", money(3000), "fen/person/year",
  "区临时救助办法：每人每年累计不超过3,000元（数值为占位）", "A")

out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Sources", "ShebaoCore", "Resources", "policy", "defaults.json")
os.makedirs(os.path.dirname(out), exist_ok=True)
seen = set()
for row in rows:
    key = (row["key"], row["region"], row["validFrom"])
    if key in seen:
        raise SystemExit(f"duplicate parameter row {key}")
    seen.add(key)
with open(out, "w", encoding="utf-8") as f:
    json.dump(rows, f, ensure_ascii=False, indent=1)
    f.write("\n")
print(f"{len(rows)} parameters, {len({r['key'] for r in rows})} keys")
