"""Issue codes: 登记库、运行记录、输出文件的发布与文件锁。"""

from __future__ import annotations

from kxassess.catalogue import Entry, Severity

E = Severity.ERROR
W = Severity.WARNING

CODES: dict[str, Entry] = {
    # --- the registry file ---------------------------------------------------------------
    "registry-missing": Entry(
        E,
        "登记库不存在",
        "检查 --registry 或环境变量 KXASSESS_REGISTRY 是否写错；"
        "登记库由 kxassess score 首次计分时建立。",
    ),
    "registry-is-folder": Entry(
        E,
        "登记库路径是一个文件夹，不是文件",
        "把 --registry 指向一个文件，例如 登记库/kxassess.db。",
    ),
    "registry-damaged": Entry(
        E,
        "登记库文件已损坏或不是本程序的登记库（{detail}）；备份文件是 {backup}"
        "（上一次成功写入前的状态）",
        "在没有计分程序运行时，用备份文件覆盖登记库（例如 cp kxassess.db.bak kxassess.db）"
        "后重新运行。",
    ),
    "registry-damaged-no-backup": Entry(
        E,
        "登记库文件已损坏或不是本程序的登记库（{detail}）；没有找到备份文件 {backup}",
        "从单位的其他备份恢复登记库；没有备份的，换一个新的登记库文件名重新计分各年度。",
    ),
    "registry-newer": Entry(
        E,
        "登记库由更新版本的计分程序写入（结构版本 {version}，本程序只认识到 {latest}）",
        "升级 kxassess 后再运行。",
    ),
    "registry-unwritable": Entry(
        E,
        "无法写入登记库所在文件夹 {folder}（{detail}）",
        "让运行计分的用户对该文件夹有写权限，或用 --registry 指向可写的位置。",
    ),
    "registry-failed": Entry(
        E,
        "登记库读写失败（{detail}）",
        "检查磁盘空间与文件权限后重新运行；仍然失败时用同名的 .bak 备份恢复。",
    ),
    "registry-no-results": Entry(
        E, "登记库中没有方案 {scheme} {year} 年度的结果", "先运行 kxassess score 计分。"
    ),
    "registry-no-scored-year": Entry(
        E, "登记库中还没有{what}已计分的年度", "先运行 kxassess score 计分。"
    ),
    "registry-no-year": Entry(
        E, "登记库中没有 {year} 年度的结果（已计分年度：{years}）", "用 --year 指定已计分的年度。"
    ),
    "registry-no-tiers": Entry(
        E,
        "登记库中没有 {year} 年度的考核对象名单",
        "先对该年度计分，或对上一年度计分后运行 kxassess tiers --promote；"
        "也可用 --year 指定其他年度。",
    ),
    "roster-populations": Entry(
        E,
        "登记库中 {year} 年度有多个考核对象群体（{names}），各群体的单位编码可能重复",
        "用 --population 指定一个群体，每个群体各导出一份名单。",
    ),
    "input-missing": Entry(
        E,
        "要计分的文件不存在",
        "核对文件名和所在文件夹（可用 Tab 键补全文件名）；没有写出任何文件，登记库未改动。",
    ),
    "moves-stale": Entry(
        W,
        "方案 {scheme} {year} 年度的升降类此前已应用，本次重新计分结果有变："
        "登记库中下一年度的类别已不是最新",
        "核对本次结果后，运行 kxassess tiers --promote --force 重新应用升降类。",
    ),
    "moves-rescored": Entry(
        E,
        "方案 {scheme} {year} 年度的升降类此前已应用，之后该年度重新计分且结果不同",
        "用 kxassess tiers 核对后，加 --force 重新应用。",
    ),
    # --- locks ---------------------------------------------------------------------------
    "lock-busy": Entry(
        E,
        "另一个计分程序正在使用这里（登记库或输出文件夹已加锁）",
        "稍后再试，或加 --wait 等待对方结束。",
    ),
    "lock-unwritable": Entry(
        E,
        "无法使用锁文件（{detail}）",
        "让运行计分的用户能写该锁文件及其所在文件夹（定时任务与手工运行若是不同用户，"
        "双方都要能写）；或在没有计分程序运行时删除该锁文件。",
    ),
    # --- output folder -------------------------------------------------------------------
    "out-is-file": Entry(
        E, "输出位置是一个文件，不是文件夹", "用 --out 指定一个文件夹（不存在时会自动建立）。"
    ),
    "out-unwritable": Entry(
        E,
        "无法写入输出文件夹（{detail}）",
        "让运行计分的用户对该文件夹有写权限，或用 --out 指定其他文件夹。",
    ),
    "disk-full": Entry(
        E,
        "磁盘空间不足，输出未能写完（{detail}）；原有结果保持不变",
        "清理磁盘空间后重新运行。",
    ),
    "out-write-failed": Entry(
        E,
        "写出文件失败（{detail}）",
        "检查该位置是否存在、可写、空间充足后重新运行。",
    ),
    "run-failed": Entry(E, "本次运行未完成：{detail}", "按提示处理后重新运行。"),
    # --- names in outputs ----------------------------------------------------------------
    "name-control-chars": Entry(
        W,
        "单位名称含有不可见的控制字符：所有输出中已删除（换行、制表符改为一个空格），现为「{name}」",
        "在考核对象表中更正该单位名称。",
    ),
}
