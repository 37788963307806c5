"""Strings of the payout on a retiree's death: funeral grant, survivors' lump sum, inheritable
account balance, paid to the next of kin. Imported by strings.py; each row: key, zh-Hans, zh-Hant, English."""

from strings_kit import claim_case

CASE = "case.benefits.survivor"

ROWS = [
    ("survivor.open", "丧葬补助金、抚恤金及个人账户继承", "喪葬補助金、撫卹金及個人帳戶繼承", "Funeral grant, survivors' lump sum and inheritance"),
    ("survivor.title", "死亡待遇：{name}", "死亡待遇：{name}", "Payout on death: {name}"),
    ("survivor.explain", "退休人员死亡后，按规定支付丧葬补助金和一次性抚恤金；个人账户中个人缴费部分及其利息的余额可以继承。款项支付给直系亲属的账户。",
     "退休人員死亡後，按規定支付喪葬補助金和一次性撫卹金；個人帳戶中個人繳費部分及其利息的餘額可以繼承。款項支付給直系親屬的帳戶。",
     "On a retiree's death the fund pays the funeral grant and the survivors' lump sum; what is left of the account's own part and its interest is inherited. It is paid into the next of kin's account."),
    ("survivor.submit", "受理死亡待遇", "受理死亡待遇", "Open the payout"),
    ("survivor.next_of_kin", "领取人公民身份号码", "領取人公民身份號碼", "Next of kin's resident ID"),
    ("survivor.account", "领取人银行账号", "領取人銀行帳號", "Next of kin's account"),
    ("survivor.payee", "领取人：{name}。受理后须核对亲属关系证明。", "領取人：{name}。受理後須核對親屬關係證明。", "Paid to {name}; the proof of kinship is checked next."),
    ("error.survivor.unknown_kin", "领取人须为已登记的其他人员，请核对公民身份号码。", "領取人須為已登記的其他人員，請核對公民身份號碼。", "The next of kin must be another registered person: check the resident ID."),
    ("error.survivor.not_dead", "该人员没有因死亡停发的养老金。", "該人員沒有因死亡停發的養老金。", "The person has no pension stopped by death."),
    ("error.survivor.paid", "该人员的死亡待遇已经批准。", "該人員的死亡待遇已經批准。", "The payout on this death was approved already."),
    ("error.survivor.open", "该人员的死亡待遇正在办理（业务 {case}）。", "該人員的死亡待遇正在辦理（業務 {case}）。", "The payout is in progress (case {case})."),
    ("input.accountOwn", "个人账户个人缴费部分", "個人帳戶個人繳費部分", "Account: own part"),
    ("input.accountTransfer", "个人账户单位划入部分", "個人帳戶單位劃入部分", "Account: unit's transfer part"),
    ("input.accountPensionDrawn", "已领个人账户养老金", "已領個人帳戶養老金", "Account pension drawn"),
    ("output.survivorLumpSum", "一次性抚恤金", "一次性撫卹金", "Survivors' lump sum"),
    ("output.inheritable", "个人账户可继承额", "個人帳戶可繼承額", "Inheritable balance"),
    ("explain.pension_death.funeral", "丧葬补助金", "喪葬補助金", "Funeral grant"),
    ("explain.pension_death.survivor", "一次性抚恤金", "一次性撫卹金", "Survivors' lump sum"),
    ("explain.pension_death.own_drawn", "已领养老金中个人缴费部分", "已領養老金中個人繳費部分", "Own part of the account pension drawn"),
    ("explain.pension_death.inheritable", "可继承余额", "可繼承餘額", "Inheritable balance"),
    ("explain.pension_death.total", "合计", "合計", "Total"),
    ("rule.pension-death", "退休人员死亡待遇", "退休人員死亡待遇", "Payout on a retiree's death"),
    ("rule.pension-death.summary", "丧葬补助金、一次性抚恤金按当地月平均工资的月数计发；个人账户个人缴费部分的余额可继承。",
     "喪葬補助金、一次性撫卹金按當地月平均工資的月數計發；個人帳戶個人繳費部分的餘額可繼承。",
     "Funeral grant and survivors' lump sum in months of the local average wage; the account's own part left is inherited."),
    ("param.pension.death.funeral_months", "丧葬补助金月数", "喪葬補助金月數", "Funeral grant (months)"),
    ("param.pension.death.survivor_months", "一次性抚恤金月数", "一次性撫卹金月數", "Survivors' lump sum (months)"),
    ("payroll.remittance.survivor", "丧葬补助金、抚恤金及个人账户继承款", "喪葬補助金、撫卹金及個人帳戶繼承款", "Funeral grant, survivors' lump sum and inheritance"),
    *claim_case(CASE, ("死亡待遇", "死亡待遇", "Payout on death"), ("证明", "證明"), [
        ("death_certificate", "死亡证明（或火化证明）", "死亡證明（或火化證明）", "Death (or cremation) certificate"),
        ("kinship", "亲属关系证明", "親屬關係證明", "Proof of kinship")
    ]),
]


def rows():
    return ROWS

DEATH = "case.benefits.work_injury_death"

ROWS += [
    ("work_injury_death.open", "因工死亡待遇", "因工死亡待遇", "Death from a work injury"),
    ("work_injury_death.title", "因工死亡待遇：{name}", "因工死亡待遇：{name}", "Death from a work injury: {name}"),
    ("work_injury_death.explain", "经认定因工死亡的，支付丧葬补助金、一次性工亡补助金，并按月向供养亲属支付抚恤金（配偶40%，其他亲属30%，孤寡老人或孤儿加10%，合计不超过本人工资），从死亡次月起，直至不再符合条件。",
     "經認定因工死亡的，支付喪葬補助金、一次性工亡補助金，並按月向供養親屬支付撫卹金（配偶40%，其他親屬30%，孤寡老人或孤兒加10%，合計不超過本人工資），從死亡次月起，直至不再符合條件。",
     "For a death recognised as from a work injury: the funeral grant, the one-time death subsidy, and survivor pensions each month from the month after death (spouse 40%, others 30%, +10% for a lone elderly person or an orphan, together no more than the worker's wage) until the dependants no longer qualify."),
    ("work_injury_death.submit", "受理因工死亡待遇", "受理因工死亡待遇", "Open the case"),
    ("work_injury_death.spouse", "有配偶", "有配偶", "A spouse"),
    ("work_injury_death.others", "其他供养亲属人数", "其他供養親屬人數", "Other dependants"),
    ("work_injury_death.lone", "其中孤寡老人或孤儿人数", "其中孤寡老人或孤兒人數", "Of whom lone elderly or orphans"),
    ("work_injury_death.pension", "供养亲属抚恤金 每月 {monthly}，已发至 {paid}，停发自 {ends}", "供養親屬撫卹金 每月 {monthly}，已發至 {paid}，停發自 {ends}",
     "Survivor pensions {monthly} a month, paid through {paid}, ending from {ends}"),
    ("error.work_injury.lone_above_others", "孤寡老人或孤儿人数不能多于其他供养亲属人数。", "孤寡老人或孤兒人數不能多於其他供養親屬人數。", "Lone elderly or orphans cannot outnumber the other dependants."),
    ("error.work_injury.death_paid", "该人员的因工死亡待遇已经批准。", "該人員的因工死亡待遇已經批准。", "The benefits of this death were approved already."),
    ("error.work_injury.death_open", "该人员的因工死亡待遇正在办理（业务 {case}）。", "該人員的因工死亡待遇正在辦理（業務 {case}）。", "The case of this death is in progress (case {case})."),
    ("error.work_injury.no_survivor_pension", "该人员没有正在发放的供养亲属抚恤金。", "該人員沒有正在發放的供養親屬撫卹金。", "No survivor pensions are being paid for this person."),
    ("error.work_injury.end_before_paid", "停发月份须晚于已发放的 {paid}。", "停發月份須晚於已發放的 {paid}。", "The first month not paid must be after {paid}, already paid."),
    ("payroll.remittance.work_injury_death", "丧葬补助金、一次性工亡补助金", "喪葬補助金、一次性工亡補助金", "Funeral grant and death subsidy"),
    ("payroll.remittance.work_injury_survivor", "供养亲属抚恤金", "供養親屬撫卹金", "Survivor pensions"),
    *claim_case(DEATH, ("因工死亡待遇", "因工死亡待遇", "Death from a work injury"), ("证明", "證明"), [
        ("recognition", "工伤认定决定书", "工傷認定決定書", "Recognition decision"),
        ("death_certificate", "死亡证明", "死亡證明", "Death certificate"),
        ("kinship", "亲属关系及供养证明", "親屬關係及供養證明", "Proof of kinship and dependency")], approved=("已批准，按月发放", "已批准，按月發放", "Approved")),
]
