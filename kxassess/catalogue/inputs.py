"""Issue codes: 读入与核对：工作簿、工作表、单元格、考核对象、评分、自评表。"""

from __future__ import annotations

from kxassess.catalogue import Entry, Severity

E = Severity.ERROR
W = Severity.WARNING

CODES: dict[str, Entry] = {
    "missing-sheet": Entry(
        E, "工作簿中没有工作表「{sheet}」{hint}", "按模板补上该工作表，或更正工作表名称。"
    ),
    "no-review-yet": Entry(
        W,
        "工作簿中没有工作表「{sheet}」{hint}：尚无申报项目经过评审",
        "评审完成后补上该工作表再计分。",
    ),
    "missing-sheet-provisional": Entry(
        W,
        "工作簿中没有工作表「{sheet}」{hint}；临时计分，各单位该项按 0 分计",
        "正式计分前补上该工作表，或更正工作表名称。",
    ),
    "hidden-sheet": Entry(
        W,
        "隐藏工作表「{sheet}」未读取",
        "如该表的数据应当计入，请在 Excel 或 WPS 中取消隐藏；旧表或草稿请删除。",
    ),
    "unmatched-score-sheet": Entry(
        E,
        "工作表「{sheet}」含有评分表（单位编码及指标列），但名称不符合「评分-专家姓名」或"
        "「专家评分」，其中的评分未读取{hint}",
        "把工作表改名为「评分-专家姓名」（一位专家一张表）或「专家评分」；不用的表请删除。",
    ),
    "missing-scores": Entry(
        E,
        "工作簿中没有专家评分：需要工作表「专家评分」（每行一个分数）或每位专家一张"
        "「评分-专家姓名」{hint}",
        "按模板补上专家评分表，或更正工作表名称。",
    ),
    "judge-without-scores": Entry(
        E,
        "评委表列出的专家「{judge}」没有评分{hint}",
        "补上该专家的评分表「评分-{judge}」，或从评委表中删去该专家。",
    ),
    "judge-not-listed": Entry(
        E,
        "专家「{judge}」的评分（{sheet}）不属于评委表列出的专家{hint}",
        "在评委表中补上该专家，或更正评分表中的专家姓名。",
    ),
    "judge-missing-unit": Entry(
        E,
        "专家「{judge}」没有给 {unit} {name} 评分（工作表{sheet}中没有该单位的评分行）",
        "补上该单位的评分；该专家按规定回避或不评该单位的，在评委表的「评审范围」或"
        "「所属单位」中写明。临时计分可加 --allow-missing（缺评按 0 分计）。",
    ),
    "judge-missing-unit-provisional": Entry(
        W,
        "专家「{judge}」没有给 {unit} {name} 评分（工作表{sheet}），临时计分，缺评按 0 分计",
        "正式计分前补上该单位的评分。",
    ),
    "bad-scope": Entry(
        E,
        "评审范围中的「{token}」不是类别、单位编码、指标编码或指标部分",
        "评审范围写类别（如 一类）、单位编码、指标编码或部分名称，用「、」分隔；留空表示全部。",
    ),
    "merged-tier": Entry(
        W,
        "「类别」{span} 是合并单元格，其中各单位均按「{tier}」读取",
        "核对合并范围内的单位是否都属于该类别；不是的请拆分单元格后分别填写。",
    ),
    "unknown-unit": Entry(
        E,
        "{what}「{value}」不在考核对象名单中{hint}",
        "更正为考核对象表中的单位编码；新增单位请先补入考核对象表。",
    ),
    "name-mismatch": Entry(
        W,
        "单位名称「{given}」与考核对象表中 {unit} 的名称「{name}」不同，以单位编码为准",
        "核对单位编码是否填错；编码无误的，可把名称改为与考核对象表一致。",
    ),
    "unknown-indicator": Entry(
        E,
        "指标「{text}」不是考核方案中的指标{hint}",
        "按考核方案的指标编码填写（可用「kxassess scheme show 方案」查看）。",
    ),
    "out-of-range": Entry(
        E,
        "{column}「{text}」超出 0～{top} 的范围",
        "更正为 0～满分之间的数值。",
    ),
    "year-mismatch": Entry(
        W,
        "本工作簿为 {year} 年度，所用考核方案 {scheme} 依据的是 {scheme_year} 年度的{document}；"
        "通报仍按该文件引用",
        "如本年度已有新的考核办法，请复制并修改考核方案，再用 --scheme 指定；"
        "如沿用原办法，可不处理。",
    ),
    "error-value": Entry(
        E,
        "单元格是错误值 {value}{what}，不能当作分数，也不能当作未评分",
        "在 Excel 或 WPS 中修正该单元格（或它的公式引用的单元格），使其显示数值；"
        "确实没有分数的，留空或填「—」。",
    ),
    "not-a-number": Entry(
        E,
        "「{text}」不是数值{what}",
        "填写数值（如 8 或 8.5，也可写 ８、8分）；没有分数的留空或填「—」「/」「无」。",
    ),
    "formula-no-value": Entry(
        E,
        "单元格中的公式从未计算过（没有保存计算结果），无法读取其值",
        "用 Excel 或 WPS 打开并保存该文件，或直接填写数值。",
    ),
    "missing-columns": Entry(
        E,
        "表头缺少列「{columns}」{detail}",
        "在表头行补上这些列，或更正列名。",
    ),
    "duplicate-row": Entry(
        E,
        "{unit} 在本表中有第二行（第一行在 {first}）",
        "删去重复的行，或更正单位编码。",
    ),
    "missing-month-column": Entry(
        W,
        "没有「{month}月」列：各单位该月按 0 分计",
        "补上该月的列；确实没有报送的，可不处理。",
    ),
    "month-blank": Entry(
        W,
        "{unit} {name} 的 {months} 未填分数：按本方案规定计 0 分",
        "核对该单位这几个月是否确未报送；漏填的补上分数后重新计分。",
    ),
    "no-row": Entry(
        W,
        "{unit} {name} 在本表中没有数据行：各月均按 0 分计",
        "核对该单位是否漏填；确实没有报送的，可不处理。",
    ),
    "respondents": Entry(
        W,
        "{unit} {name} 有 {got} 份「{what}」，应为 {expected} 份",
        "核对是否漏录或多录。",
    ),
    "missing-score": Entry(
        E,
        "{unit} {name} 没有{what}",
        "补上分数；临时计分可加 --allow-missing（缺评按 0 分计）。",
    ),
    "missing-score-provisional": Entry(
        W,
        "{unit} {name} 没有{what}，临时计分按 0 分计",
        "正式计分前补上分数。",
    ),
    "recused": Entry(
        W,
        "专家「{judge}」所属单位为「{affiliation}」，即被评单位 {unit} {name}，"
        "其对本单位的评分不计入（回避）",
        "无需处理。",
    ),
    "duplicate-score": Entry(
        E,
        "专家「{judge}」对 {unit} 的指标 {indicator} 评了两次分（另一处在 {first}）",
        "删去重复的评分。",
    ),
    "score-for-nonparticipant": Entry(
        W,
        "{unit} {name} 不参加本次考核（参加 = {participation}），其评分不计入",
        "核对考核对象表中的「参加」；无误则无需处理。",
    ),
    "blank-judge": Entry(
        E,
        "「专家」为空",
        "填写评分专家的姓名。",
    ),
    "ignored-column": Entry(
        W,
        "列「{header}」不是考核方案中的指标，未读取",
        "核对列名是否为指标编码；无关的列可不处理。",
    ),
    "no-indicator-columns": Entry(
        E,
        "表头行中没有考核方案的指标编码（如 {example}）",
        "表头写指标编码，每个指标一列。",
    ),
    "unknown-judge-group": Entry(
        E,
        "专家「{judge}」的评委组{group}不是考核方案的评委组（{groups}）",
        "在评委表或「评委组」列中填写该专家所属的评委组。",
    ),
    "below-zero": Entry(
        E,
        "{what}「{text}」小于 0",
        "更正为 0～满分之间的数值。",
    ),
    "above-max": Entry(
        E,
        "{what}「{text}」超过指标 {indicator} 的满分 {max}",
        "更正为 0～满分之间的数值。",
    ),
    "not-per-event": Entry(
        E,
        "指标 {indicator} 不按次数计分，请填写分数而不是次数",
        "填写该指标的分数。",
    ),
    "bad-count": Entry(
        E,
        "次数「{text}」应为不小于 0 的整数",
        "填写整数次数（如 3 或 3次）。",
    ),
    "no-events": Entry(
        E,
        "考核方案没有加分或扣分项目，但填写了加减分表",
        "删去加减分表，或改用有加减分项目的考核方案。",
    ),
    "unknown-event": Entry(
        E,
        "项目「{text}」不是考核方案的加减分项目编码（{codes}）",
        "按考核方案的加减分编码填写。",
    ),
    "unknown-veto": Entry(
        E,
        "处理「{text}」不是考核方案规定的处理方式（{choice}）",
        "按考核方案填写处理方式。",
    ),
    "bad-verification": Entry(
        E,
        "「核实」只能填 属实、不实 或留空",
        "更正核实结果。",
    ),
    "duplicate-self": Entry(
        E,
        "{unit} 的自评分既在「自评」表中，又在自评表文件中",
        "只保留一处自评分。",
    ),
    "blank-code": Entry(
        E,
        "「{column}」为空{detail}",
        "填写编码；不需要的行请删除。",
    ),
    "duplicate-unit": Entry(
        E,
        "单位编码 {unit} 用了两次（第一次在 {first}）",
        "每个单位一个编码，删去或更正重复的行。",
    ),
    "blank-name": Entry(
        E,
        "{unit} 的单位名称为空",
        "填写单位名称。",
    ),
    "bad-participation": Entry(
        E,
        "「参加」应为 是、否 或 请假（空白即 是），此处为「{text}」",
        "更正「参加」。",
    ),
    "tier-conflict": Entry(
        W,
        "{unit} 的类别在考核对象表中为{tier}，登记库中 {year}"
        " 年度为{known}；按考核对象表的{tier}计",
        "核对类别；如登记库有误，以本表为准即可。",
    ),
    "no-units": Entry(
        E,
        "考核对象表中没有任何单位",
        "在考核对象表中列出参加考核的单位。",
    ),
    "missing-tier": Entry(
        E,
        "{unit} 的类别为空，登记库中也没有它的类别",
        "填写类别（{tiers} 之一）；或先在登记库中应用上一年度的升降类。",
    ),
    "bad-tier": Entry(
        E,
        "类别「{text}」不是 {tiers} 之一（也可写 1～4）",
        "更正类别。",
    ),
    "bad-year": Entry(
        E,
        "年度应为四位年份（如 2024），此处为「{text}」",
        "更正年度。",
    ),
    "no-scheme": Entry(
        E,
        "没有指定考核方案（内置方案：{schemes}）",
        "在考核设置表中填写「方案」一行，或用 --scheme 指定。",
    ),
    "unknown-scheme": Entry(
        E,
        "无法使用考核方案：{detail}",
        "更正方案编号或方案文件；内置方案可用 kxassess schemes 查看。",
    ),
    "no-year": Entry(
        W,
        "没有填写年度，按考核方案的年度 {year} 计",
        "在考核设置表中填写「年度」一行。",
    ),
    "missing-folder": Entry(
        E,
        "自评表文件夹不存在",
        "检查文件夹路径。",
    ),
    "unreadable": Entry(
        E,
        "无法读取：{detail}",
        "用 Excel 或 WPS 打开检查该文件，另存为 xlsx 后重试。",
    ),
    "file-type": Entry(
        W,
        "文件的实际类型与扩展名不符：{detail}",
        "无需处理；如读取结果不对，请另存为 xlsx。",
    ),
    "duplicate-form": Entry(
        E,
        "{unit} {name} 有第二份自评表（另一份是 {first}）",
        "只保留一份自评表。",
    ),
    "no-form": Entry(
        W,
        "没有收到 {unit} {name} 的自评表",
        "催交自评表；确实未交的，可不处理。",
    ),
    "no-unit-name": Entry(
        E,
        "自评表的前几行中找不到单位名称（如「单位名称：XX学会」）",
        "在表头上方写明「单位名称：…」。",
    ),
    "missing-indicator": Entry(
        W,
        "{unit} {name} 的自评表没有以下指标的自评分：{codes}",
        "请该单位补填。",
    ),
    "bad-total": Entry(
        W,
        "自评表的合计不是数值",
        "核对合计；不影响计分。",
    ),
    "total-mismatch": Entry(
        W,
        "自评表的合计 {claimed} 与各行自评分之和 {lines} 不符",
        "请该单位核对合计；计分按各行自评分。",
    ),
    "bad-value": Entry(
        E,
        "「{column}」填写有误：{detail}",
        "按要求的格式更正该单元格。",
    ),
    "duplicate-application": Entry(
        E,
        "申报编号 {application} 用了两次（第一次在 {first}）",
        "每项申报一个编号，删去或更正重复的行。",
    ),
    "unknown-category": Entry(
        E,
        "类别「{text}」不是 {names} 之一",
        "按申报通知的类别填写。",
    ),
    "unknown-subtype": Entry(
        E,
        "子类「{text}」不是 {names} 之一",
        "按申报通知的子类填写。",
    ),
    "bad-stage": Entry(
        E,
        "阶段「{text}」不是 {names} 之一",
        "更正阶段，或留空。",
    ),
    "unknown-application": Entry(
        E,
        "申报编号「{application}」不在「{sheet}」表中",
        "更正申报编号。",
    ),
    "duplicate-judge-sheet": Entry(
        E,
        "工作表「{sheet}」与「{first}」是同一位专家的评分表，只能有一张",
        "删去多余的一张，或更正专家姓名。",
    ),
}
