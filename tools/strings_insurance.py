"""Strings of social insurance: enrolments, bases, the monthly assessment. Imported by strings.py;
each row: key, zh-Hans, zh-Hant, English."""

ROWS = [
    ("payer.employee", "单位职工", "單位職工", "Employee of a unit"),
    ("payer.self_employed", "个体、灵活就业", "個體、靈活就業", "Self-employed"),
    ("insurance.title", "社会保险", "社會保險", "Social insurance"),
    ("insurance.scheme", "险种", "險種", "Scheme"),
    ("insurance.payer", "参保身份", "參保身分", "Insured as"),
    ("insurance.from", "起始年月", "起始年月", "From"),
    ("insurance.to", "终止年月", "終止年月", "To"),
    ("insurance.year", "年度", "年度", "Year"),
    ("insurance.declared_base", "申报缴费基数（月）", "申報繳費基數（月）", "Declared monthly base"),
    ("batch.insurance.assessment", "社会保险费月度核定", "社會保險費月度核定", "Monthly contribution assessment"),
    ("assessment.scheme", "险种", "險種", "Scheme"),
    ("assessment.lines", "核定人次", "核定人次", "Lines"),
    ("assessment.base", "缴费基数合计", "繳費基數合計", "Bases"),
    ("assessment.individual", "个人缴费", "個人繳費", "Individual"),
    ("assessment.employer", "单位缴费", "單位繳費", "Employer"),
    ("assessment.account_credit", "记入个人账户", "記入個人帳戶", "To individual accounts"),
    ("error.assessment.bad_chunk", "核定批次的分块“{chunk}”无法识别。", "核定批次的分塊「{chunk}」無法識別。", "The assessment chunk \"{chunk}\" is not one this run wrote."),
    ("error.assessment.parameters_changed", "建立本次核定后政策参数有变动：请驳回本次核定并重新核定。", "建立本次核定後政策參數有變動：請駁回本次核定並重新核定。",
     "The policy parameters changed after this assessment was created: reject it and assess again."),
]


def rows():
    return list(ROWS)
