"""Strings of unemployment spells, the referral to the minimum living guarantee and the training
and placement subsidies. Imported by strings.py; each row: key, zh-Hans, zh-Hant, English."""

from strings_kit import claim_case

CASE = "case.benefits.employment_subsidy"

ROWS = [
    ("nav.unemployment", "失业保险", "失業保險", "Unemployment"),
    ("home.hint.unemployment", "失业保险金领取、期满转介低保", "失業保險金領取、期滿轉介低保", "Benefit spells, and referral to the minimum living guarantee"),
    ("unemployment.spells_title", "失业保险金领取情况", "失業保險金領取情況", "Unemployment benefit spells"),
    ("unemployment.spells_explain", "每次批准的失业保险金为一段领取期。再就业即终止；期满仍未就业的，转介民政部门审核最低生活保障。",
     "每次批准的失業保險金為一段領取期。再就業即終止；期滿仍未就業的，轉介民政部門審核最低生活保障。",
     "Each approved claim is a spell. Re-employment ends it; whoever is still without work when the months are used up is referred to the civil-affairs office for the minimum living guarantee."),
    ("unemployment.ended_title", "期满仍未就业：待转介低保", "期滿仍未就業：待轉介低保", "Months used up, still without work: to refer"),
    ("unemployment.spells", "全部领取期", "全部領取期", "All spells"),
    ("unemployment.paid", "已发月数", "已發月數", "Months paid"),
    ("unemployment.status_label", "状态", "狀態", "Status"),
    ("unemployment.none", "没有失业保险金领取记录。", "沒有失業保險金領取記錄。", "No spells."),
    ("unemployment.refer", "转介低保", "轉介低保", "Refer to dibao"),
    ("unemployment.referred_done", "已转介民政部门。", "已轉介民政部門。", "Referred to the civil-affairs office."),
    ("unemployment.priority.forty_fifty", "“4050”人员", "「4050」人員", "40/50 group"),
    ("unemployment.priority.disabled", "残疾人", "殘疾人", "Disabled"),
    ("unemployment.priority.both_spouses", "夫妻双方失业", "夫妻雙方失業", "Both spouses unemployed"),
    ("unemployment_status.receiving", "领取中", "領取中", "Receiving"),
    ("unemployment_status.ended", "期满未就业", "期滿未就業", "Ended, still without work"),
    ("unemployment_status.reemployed", "已再就业", "已再就業", "Re-employed"),
    ("unemployment_status.referred", "已转介低保", "已轉介低保", "Referred to dibao"),
    ("error.unemployment.not_ended", "该领取期不能转介：{status}。", "該領取期不能轉介：{status}。", "The spell cannot be referred: {status}."),
    ("subsidy.title", "培训、职业介绍补贴：{name}", "培訓、職業介紹補貼：{name}", "Training or placement subsidy: {name}"),
    ("subsidy.explain", "登记失业人员参加培训或经职业介绍就业的，失业保险基金按发票金额的规定比例给予补贴，不超过每人每次的标准。",
     "登記失業人員參加培訓或經職業介紹就業的，失業保險基金按發票金額的規定比例給予補貼，不超過每人每次的標準。",
     "For a registered unemployed person's course or placement, the unemployment fund pays its share of the invoiced cost, up to the standard per person and event."),
    ("subsidy.submit", "受理补贴", "受理補貼", "Open the subsidy case"),
    ("subsidy.open", "培训、职业介绍补贴", "培訓、職業介紹補貼", "Training or placement subsidy"),
    ("subsidy.provider", "培训或职业介绍机构", "培訓或職業介紹機構", "Training or placement provider"),
    ("subsidy.account", "收款账号", "收款帳號", "Account paid into"),
    ("error.subsidy.not_unemployed", "该人员不是登记失业人员。", "該人員不是登記失業人員。", "The person is not registered unemployed."),
    ("error.subsidy.open", "该人员已有办理中的补贴（业务 {case}）。", "該人員已有辦理中的補貼（業務 {case}）。", "The person has a subsidy case in progress (case {case})."),
    ("choice.training", "职业培训补贴", "職業培訓補貼", "Training"),
    ("choice.placement", "职业介绍补贴", "職業介紹補貼", "Placement"),
    ("output.subsidy", "补贴金额", "補貼金額", "Subsidy"),
    ("explain.subsidy.share", "按比例", "按比例", "Share of the cost"),
    ("explain.subsidy.capped", "不超过标准", "不超過標準", "Up to the cap"),
    ("rule.employment-subsidy", "培训、职业介绍补贴", "培訓、職業介紹補貼", "Training and placement subsidies"),
    ("rule.employment-subsidy.summary", "发票金额 × 比例，不超过每人每次标准。", "發票金額 × 比例，不超過每人每次標準。", "Invoiced cost × share, up to the cap per person and event."),
    ("param.unemployment.subsidy.training.share", "培训补贴比例", "培訓補貼比例", "Training subsidy share"),
    ("param.unemployment.subsidy.training.cap", "培训补贴标准", "培訓補貼標準", "Training subsidy cap"),
    ("param.unemployment.subsidy.placement.share", "职业介绍补贴比例", "職業介紹補貼比例", "Placement subsidy share"),
    ("param.unemployment.subsidy.placement.cap", "职业介绍补贴标准", "職業介紹補貼標準", "Placement subsidy cap"),
    ("payroll.remittance.training_subsidy", "职业培训补贴", "職業培訓補貼", "Training subsidy"),
    ("payroll.remittance.placement_subsidy", "职业介绍补贴", "職業介紹補貼", "Placement subsidy"),
    *claim_case(CASE, ("培训、职业介绍补贴", "培訓、職業介紹補貼", "Training or placement subsidy"), ("发票", "發票"), [
        ("invoice", "发票", "發票", "Invoice"),
        ("certificate", "培训合格证书或劳动合同", "培訓合格證書或勞動合同", "Course certificate or labour contract")
    ]),
]


def rows():
    return ROWS
