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

# Wages and the economy (RULES.md §1.1, §3, §4; PROGRAMS.md §6 context)
for year, yuan in [(2003, 1500), (2004, 1650), (2006, 1900), (2010, 2800), (2015, 4400), (2020, 6200), (2023, 7200), (2024, 7500)]:
    p("wage.reference.monthly", ZJ, f"{year}-01-01", "money", money(yuan), "fen/month",
      "浙江省职工基本养老保险条例 第9条、第32条（上年度全省在岗职工月平均工资）；数值为占位，应按当年公布值设置", "A")
for year, yuan in [(2003, 1200), (2012, 4000), (2020, 6000), (2024, 6500)]:
    p("wage.local_average.monthly", TZ, f"{year}-01-01", "money", money(yuan), "fen/month", "工伤保险条例 第64条（统筹地区上年度职工月平均工资）；占位", "A")
for year, yuan in [(2003, 14400), (2010, 45000), (2020, 65000), (2024, 70000)]:
    p("wage.local_average.annual", TZ, f"{year}-01-01", "money", money(yuan), "fen/year", "统筹地区上年度职工年平均工资；占位", "A")
for date, yuan in [("2003-01-01", 520), ("2004-12-01", 620), ("2008-01-01", 960), ("2011-04-01", 1310), ("2015-11-01", 1860),
                   ("2017-12-01", 2010), ("2021-08-01", 2280), ("2025-01-01", 2490)]:
    p("wage.minimum.monthly", ZJ, date, "money", money(yuan), "fen/month", "浙江省最低工资标准（一档）；占位", "A")
for date, yuan in [("2023-01-01", 49283), ("2024-01-01", 51821), ("2025-01-01", 54188)]:
    p("economy.national_urban_disposable_income", NATION, date, "money", money(yuan), "fen/year",
      "国家统计局：上年度全国城镇居民人均可支配收入（工伤保险条例 第39条）", "M")
p("economy.rural_net_income", DISTRICT, "2004-01-01", "money", money(6145), "fen/year", "区情：上年农民人均纯收入 6,145 元（PROGRAMS.md §6）", "D")

# Contributions (RULES.md §1.1, §2, §3, §4.1, §5)
p("contribution.base.floor_share", ZJ, "1999-01-01", "rate", "0.6", "share of reference wage", "浙江省职工基本养老保险条例 第9条", "V")
p("contribution.base.ceiling_share", ZJ, "1999-01-01", "rate", "3", "share of reference wage", "浙江省职工基本养老保险条例 第9条", "V")
p("pension.self_employed.floor_share", ZJ, "1999-01-01", "rate", "0.8", "share of reference wage", "浙江省职工基本养老保险条例 第11条", "V")
p("pension.rate.individual", ZJ, "2003-01-01", "rate", "0.07", "of base", "国发〔1997〕26号 逐步提高至8%；浙江2003—2005年实际比例未找到，占位7%", "A")
p("pension.rate.individual", ZJ, "2006-01-01", "rate", "0.08", "of base", "浙江省职工基本养老保险条例 第9条（8%）；生效日期为假设", "V")
p("pension.rate.employer", ZJ, "2003-01-01", "rate", "0.14", "of base", "浙江省职工基本养老保险条例 第10条（一般不超过20%）；台州2003年比例占位14%", "A")
p("pension.rate.employer", ZJ, "2019-05-01", "rate", "0.16", "of base", "国办发〔2019〕13号（降至16%）", "M")
p("pension.rate.self_employed", ZJ, "1999-01-01", "rate", "0.2", "of base", "浙江省职工基本养老保险条例 第11条", "V")
p("pension.account_credit_rate", ZJ, "1998-01-01", "rate", "0.11", "of base", "国发〔1997〕26号（个人账户按11%记账）", "M")
p("pension.account_credit_rate", ZJ, "2006-01-01", "rate", "0.08", "of base", "国发〔2005〕38号；浙江省职工基本养老保险条例 第24条", "M")
for year, rate in [(2003, "0.0225"), (2008, "0.0414"), (2012, "0.035")]:
    p("pension.account_interest_rate", ZJ, f"{year}-01-01", "rate", rate, "per year", "浙江省公布的个人账户记账利率（参照一年期存款利率）；占位", "A")
for year, rate in [(2016, "0.0831"), (2017, "0.0712"), (2018, "0.0829"), (2019, "0.0761"), (2020, "0.0604"), (2021, "0.0669"),
                   (2022, "0.0612"), (2023, "0.0397"), (2024, "0.0262")]:
    p("pension.account_interest_rate", ZJ, f"{year}-01-01", "rate", rate, "per year", f"人社部、财政部公布的{year}年职工基本养老保险个人账户记账利率", "M")
p("medical.rate.individual", ZJ, "1999-01-01", "rate", "0.02", "of base", "国发〔1998〕44号", "M")
p("medical.rate.employer", ZJ, "1999-01-01", "rate", "0.06", "of base", "国发〔1998〕44号（6%左右）；台州比例占位", "A")
p("medical.account_share_of_employer", ZJ, "1999-01-01", "rate", "0.3", "of employer contribution", "国发〔1998〕44号（约30%划入个人账户）", "M")
p("medical.account_share_of_employer", ZJ, "2021-01-01", "rate", "0", "of employer contribution", "国办发〔2021〕14号（在职职工个人账户只计入个人缴费）", "M")
p("unemployment.rate.individual", ZJ, "1999-01-22", "rate", "0.01", "of base", "失业保险条例 第6条", "V")
p("unemployment.rate.employer", ZJ, "1999-01-22", "rate", "0.02", "of base", "失业保险条例 第6条", "V")
p("unemployment.rate.individual", ZJ, "2017-01-01", "rate", "0.005", "of base", "阶段性降低失业保险费率（2015—2017年文件）", "M")
p("unemployment.rate.employer", ZJ, "2017-01-01", "rate", "0.005", "of base", "阶段性降低失业保险费率（2015—2017年文件）", "M")
p("work_injury.base_rate_bp", NATION, "2004-01-01", "table", {"1": 50, "2": 100, "3": 200}, "basis points by risk class", "劳社部发〔2003〕29号（三类行业基准费率）", "M")
p("work_injury.base_rate_bp", NATION, "2015-10-01", "table", {"1": 20, "2": 40, "3": 70, "4": 90, "5": 110, "6": 130, "7": 160, "8": 190},
  "basis points by risk class", "人社部发〔2015〕71号（八类行业基准费率）", "V-2")
p("work_injury.float_factor", ZJ, "2004-01-01", "rate", "1", "of base rate", "浮动费率，单位无浮动时为100%", "A")
p("maternity.rate.employer", ZJ, "1998-12-01", "rate", "0.008", "of base", "企业职工生育保险试行办法（不超过1%）；区比例占位", "A")
p("late_surcharge.daily_rate", NATION, "1999-01-22", "rate", "0.002", "per day", "社会保险费征缴暂行条例 第13条；浙江省职工基本养老保险条例 第52条", "V")
p("late_surcharge.daily_rate", NATION, "2011-07-01", "rate", "0.0005", "per day", "社会保险法 第86条", "V")
p("disabled_levy.late_daily_rate", NATION, "2007-05-01", "rate", "0.005", "per day", "残疾人就业条例 第27条", "V")

# Retirement (RULES.md §1.3)
for cat, age in [("male", 60), ("female_cadre", 55), ("female_worker", 50)]:
    p(f"retirement.age.{cat}", NATION, "1978-06-02", "integer", age, "years", "国发〔1978〕104号", "M")
p("retirement.reform_start", NATION, "2024-09-13", "integer", 202501, "yyyymm", "全国人大常委会关于实施渐进式延迟法定退休年龄的决定（2024-09-13）", "V-2")
for cat, step, cap in [("male", 4, 36), ("female_cadre", 4, 36), ("female_worker", 2, 60)]:
    p(f"retirement.delay_step.{cat}", NATION, "2024-09-13", "integer", step, "months of original date per month of delay", "国务院关于渐进式延迟法定退休年龄的办法", "V-2")
    p(f"retirement.max_delay.{cat}", NATION, "2024-09-13", "integer", cap, "months", "国务院关于渐进式延迟法定退休年龄的办法", "V-2")
p("retirement.min_contribution_months", NATION, "2024-09-13", "table",
  {"1998": 180, **{str(2029 + i): 180 + 6 * i for i in range(1, 11)}}, "months by retirement year", "国务院关于渐进式延迟法定退休年龄的办法（2030年起每年提高6个月至20年）", "V-2")

# Pension award and adjustment (RULES.md §1.4–1.6)
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
p("pension.minimum_share", ZJ, "2006-01-01", "rate", "0.6", "of local average basic pension", "浙江省职工基本养老保险条例 第37条", "V")
for year, flat, per_year, pct in [(2024, 25, 1, "0.013"), (2025, 20, 1, "0.009")]:
    p("pension.adjustment.flat", ZJ, f"{year}-01-01", "money", money(flat), "fen/month", f"{year}年调整基本养老金的浙江实施办法；占位", "A")
    p("pension.adjustment.per_year", ZJ, f"{year}-01-01", "money", money(per_year), "fen/month per year", f"{year}年调整基本养老金的浙江实施办法；占位", "A")
    p("pension.adjustment.percent", ZJ, f"{year}-01-01", "rate", pct, "of current pension", f"{year}年调整基本养老金的浙江实施办法；占位", "A")
    p("pension.adjustment.age_supplement", ZJ, f"{year}-01-01", "table", {"70": 2000, "75": 3000, "80": 5000}, "fen/month from age", "高龄倾斜；占位", "A")

# Unemployment (RULES.md §3)
p("unemployment.min_contribution_months", NATION, "1999-01-22", "integer", 12, "months", "失业保险条例 第14条", "V")
p("unemployment.duration_months", NATION, "1999-01-22", "table", {"12": 12, "60": 18, "120": 24}, "months by contribution months", "失业保险条例 第17条", "V")
p("unemployment.max_months", NATION, "1999-01-22", "integer", 24, "months", "失业保险条例 第17条", "V")
p("unemployment.benefit_share", ZJ, "1999-01-22", "rate", "0.9", "of minimum wage", "失业保险条例 第18条（低于最低工资、高于低保）；浙江比例占位", "A")

# Work injury (RULES.md §4)
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
p("maternity.local_extra_days_paid", ZJ, "2021-11-25", "choice", "yes", "yes | no", "延长产假是否享受生育津贴由地方规定；占位", "A")

# Medical (RULES.md §2, §9)
p("medical.deductible_share", TZ, "1999-01-01", "rate", "0.1", "of local average annual wage", "国发〔1998〕44号（起付标准约为10%）", "M")
p("medical.cap_multiple", TZ, "1999-01-01", "rate", "4", "times local average annual wage", "国发〔1998〕44号（约4倍）", "M")
p("medical.cap_multiple", TZ, "2009-01-01", "rate", "6", "times local average annual wage", "医药卫生体制改革近期重点实施方案（2009—2011年）", "M")
p("medical.pay_rate", TZ, "1999-01-01", "rate", "0.8", "of eligible cost", "统筹基金支付比例由地方规定；占位", "A")

# Minimum living guarantee (PROGRAMS.md §4.1: the district's own standards)
for area, earlier, newer in [("street", 180, 210), ("town", 150, 180), ("rural", 110, 180)]:
    p(f"dibao.standard.{area}", DISTRICT, "1997-07-01", "money", money(earlier), "fen/person/month",
      f"区最低生活保障标准（原标准，年{earlier * 12}元）", "D")
    p(f"dibao.standard.{area}", DISTRICT, "2004-01-01", "money", money(newer), "fen/person/month",
      f"区最低生活保障标准（新标准，年{newer * 12}元）；生效日期为假设", "D")
p("dibao.marginal_multiplier", ZJ, "1997-07-01", "rate", "1.5", "times the standard", "浙江省社会救助条例（低保边缘：不超过1.5倍）", "V")
for group, share in [("elderly", "0.1"), ("severely_disabled", "0.2"), ("seriously_ill", "0.2"), ("minors", "0.1")]:
    p(f"dibao.addon.{group}", DISTRICT, "1997-07-01", "rate", share, "of the standard per person", "分类施保；比例为占位", "A")

# Five guarantees and three withouts (PROGRAMS.md §4.2; RULES.md §8)
p("five_guarantees.method", DISTRICT, "2004-01-01", "choice", "rural_income_share", "rural_income_share | dibao_multiple", "农村五保供养工作条例；区标准不低于上年农民人均纯收入的60%", "D")
p("five_guarantees.method", DISTRICT, "2016-02-10", "choice", "dibao_multiple", "rural_income_share | dibao_multiple", "国发〔2016〕14号（特困人员基本生活标准不低于低保标准的1.3倍）", "M")
p("five_guarantees.floor_share", DISTRICT, "2004-01-01", "rate", "0.6", "of previous-year rural net income", "区五保供养标准（PROGRAMS.md §4.2）", "D")
p("five_guarantees.district_subsidy", DISTRICT, "2004-01-01", "money", money(500), "fen/person/year", "区财政每人每年补助500元（PROGRAMS.md §4.2）", "D")
p("five_guarantees.dibao_multiple", DISTRICT, "2016-02-10", "rate", "1.3", "times rural dibao", "国发〔2016〕14号", "M")
p("three_withouts.dibao_multiple", DISTRICT, "2004-01-01", "rate", "1.2", "times urban dibao", "城镇三无人员供养标准略高于城区低保标准；1.2倍为占位", "A")

# Rural cooperative medical scheme and medical assistance (PROGRAMS.md §4.3; RULES.md §9)
for part, yuan in [("participant", 40), ("town", 10), ("district", 20), ("city", 10)]:
    p(f"ncms.share.{part}", DISTRICT, "2004-01-01", "money", money(yuan), "fen/person/year",
      "区新农合筹资：每人80元＝村及个人40元、镇（街道）10元、区20元、市补助（市补助额为占位）", "D" if part != "city" else "A")
p("ncms.assisted_district_share", DISTRICT, "2004-01-01", "rate", "0.5", "of the own share of dibao and five-guarantees members", "低保、五保对象个人缴费由区、镇各承担50%（PROGRAMS.md §4.3）", "D")
p("ncms.deductible", DISTRICT, "2004-01-01", "money", money(500), "fen/year", "大病统筹起付线；占位", "A")
p("ncms.rate", DISTRICT, "2004-01-01", "rate", "0.4", "of cost above the deductible", "大病统筹补偿比例；占位", "A")
p("ncms.cap", DISTRICT, "2004-01-01", "money", money(20000), "fen/year", "大病统筹封顶线；占位", "A")
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

# Land-requisitioned farmers (PROGRAMS.md §4.6; RULES.md §11)
p("land_requisition.child_age", ZJ, "2003-01-01", "integer", 16, "years", "浙政发〔2003〕26号（年龄分组为假设）", "A")
p("land_requisition.elderly_age.male", ZJ, "2003-01-01", "integer", 60, "years", "浙江省被征地农民基本生活保障办法", "V-2")
p("land_requisition.elderly_age.female", ZJ, "2003-01-01", "integer", 55, "years", "浙江省被征地农民基本生活保障办法", "V-2")
p("land_requisition.minimum", ZJ, "2003-01-01", "choice", "tier_only", "tier_only | urban_dibao", "浙政发〔2003〕26号", "A")
p("land_requisition.minimum", ZJ, "2010-01-01", "choice", "urban_dibao", "tier_only | urban_dibao", "浙江省政府令（2010-01-01施行）：不低于当地城镇低保标准", "V-2")
for part, share in [("government", "0.3"), ("collective", "0.4"), ("individual", "0.3")]:
    p(f"land_requisition.share.{part}", ZJ, "2003-01-01", "rate", share, "of the contribution", "政府出资不低于30%，集体和个人从补偿安置费中列支；比例为占位", "A")

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
