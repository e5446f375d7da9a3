"""The prose of sections 一, 五 and 六, in the style of real township reports, varied per township."""

from __future__ import annotations

import random
import zlib

from gongkai.demo.pdf import Para

_INTRO = (
    "本报告由{gov}根据《中华人民共和国政府信息公开条例》（国务院令第711号，以下简称《条例》）规定编制。"
    "报告所列统计数据期限自{year}年1月1日至{year}年12月31日。如对本报告有疑问，请与{gov}党政综合办公室联系"
    "（地址：{county}{stem}{street}，邮编：{post}，电话：0458-{phone}）。"
)

_OVERALL = (
    "{year}年，在县委、县政府的正确领导下，{we}认真贯彻落实《中华人民共和国政府信息公开条例》要求，统筹兼顾、突出重点，"
    "坚持以公开为常态、不公开为例外，始终把政务公开工作作为一项重要工作来抓，加强组织领导，健全工作机制，扎实推进政务公开。",
    "{year}年，{we}以习近平新时代中国特色社会主义思想为指导，全面贯彻党的二十大精神，严格落实《中华人民共和国政府信息公开条例》"
    "和县委、县政府关于政务公开工作的部署要求，围绕中心、服务大局，持续深化政务公开，切实保障人民群众的知情权、参与权、表达权和监督权。",
    "{year}年，{we}坚持把政务公开作为建设法治政府、服务型政府的重要抓手，按照县政务公开领导小组的统一部署，"
    "规范和完善工作流程，明确责任、程序、公开方式和时限要求，以服务中心、方便群众为立足点，依法、及时、准确地公开政府信息。",
)

_TOPICS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "主动公开情况。",
        (
            "全年通过县政府门户网站{stem}专栏、政务公开栏、村（社区）公示栏等渠道主动公开政府信息{n1}条，"
            "其中机构职能、财政预决算、民生资金、乡村振兴等重点领域信息{n2}条。",
            "围绕群众关心关注的城乡居民医疗保险、低保申请、临时救助、特困人员供养等事项，所需材料及办理流程长期公开，"
            "全年更新公开各类公示{n2}期。",
            "按照“五公开”要求，将决策、执行、管理、服务、结果公开贯穿工作全过程，重要部署、重大活动及时向社会公布。",
            "聚焦惠农补贴发放、高标准农田建设、农村人居环境整治等群众关切，逐项公开项目名称、资金数额和实施进度，"
            "全年在村务公开栏张贴公示{n2}次。",
        ),
    ),
    (
        "依申请公开情况。",
        (
            "严格按照《条例》规定的程序和时限办理政府信息公开申请，规范受理、登记、办理、答复、归档各环节，"
            "全年共受理政府信息公开申请{apps}件，均在法定期限内答复。",
            "进一步规范依申请公开答复文书格式，加强与县司法局的沟通会商，提高答复的规范性和准确性。",
            "在党政综合办公室设立依申请公开受理窗口，公布受理电话和通信地址，申请人可当面、邮寄或网上提出申请。",
            "对申请内容不明确的，及时告知申请人补正并说明理由；对涉及第三方权益的，书面征求第三方意见后依法作出答复。",
        ),
    ),
    (
        "政府信息管理情况。",
        (
            "严格落实信息发布保密审查制度，坚持“先审后发、谁公开谁负责”的原则，落实“三审三校”制度，未经审核的信息一律不准发布。",
            "对本机关制发的行政规范性文件进行全面清理，及时公布清理结果，确保现行有效文件底数清楚。",
            "建立政府信息公开台账，对拟公开信息逐条登记公开属性、发布时间和发布渠道，做到有据可查。",
            "定期开展已公开信息自查，对过时失效、链接错误的信息及时更正或撤下，全年整改问题信息{k}条。",
        ),
    ),
    (
        "政府信息公开平台建设情况。",
        (
            "以县政府门户网站为第一平台，同时利用政务新媒体、公开栏、居民网格微信群等渠道广泛宣传森林防火、老旧小区改造、"
            "耕地保护等政策，方便群众及时获取信息。",
            "在便民服务中心设置政府信息查阅点，配备查阅设备，张贴办理事项、办事指南和办事流程，为群众查阅信息提供便利。",
            "对各村（社区）公开栏进行统一更新改造，做到位置醒目、内容规范、更新及时，方便群众就近查看。",
            "开通镇村两级政务微信公众号，及时推送惠民政策、办事指南和通知公告，粉丝数量较上年明显增长。",
        ),
    ),
    (
        "监督保障情况。",
        (
            "成立由主要领导任组长的政务公开工作领导小组，明确分管领导和专职工作人员，将政务公开工作纳入年度绩效考核。",
            "组织机关干部参加县里举办的政务公开业务培训{k}次，提升工作人员业务能力；全年未发生因政务公开工作引发的责任追究情况。",
            "畅通群众监督渠道，公布监督举报电话，对群众反映的公开不及时、不规范问题当即整改并回复。",
            "主动接受县政务公开办的检查指导，对检查中指出的栏目更新不及时等问题逐项整改到位。",
        ),
    ),
    (
        "政策解读工作。",
        (
            "坚持政策文件与解读材料同步起草、同步审签、同步发布，采用图片、问答等方式对惠民政策进行解读，对来咨询的群众细心讲解最新政策。",
        ),
    ),
    (
        "基层政务公开标准化规范化建设。",
        (
            "对照县级部门基层政务公开标准目录，对权责清单进行再梳理，以基层群众实际需求为导向调整完善公开事项，增强操作性与实效性。",
        ),
    ),
)

_PROBLEMS = (
    "{year}年，{we}政务公开工作在取得一定成效的同时，也存在一些不足。一是政务公开不够及时，部分信息更新滞后；"
    "二是政府信息公开形式较为单一，图片、视频解读较少；三是工作人员业务能力有待进一步提升。",
    "对照上级要求和群众期待，{we}政务公开工作仍存在一定差距：公开内容的深度和广度有待拓展，政策解读的针对性不强，"
    "依申请公开办理的规范化水平有待提高。",
    "一年来，{we}政务公开工作虽然取得了一定成绩，但仍存在一些问题，主要是个别科室对政务公开工作重视不够，"
    "主动公开意识不强，信息报送不够及时。",
)

_IMPROVE = (
    "针对以上问题，{we}将从以下方面进行改进：一是统一思想，提高认识，全面系统学习政务公开相关法律法规，"
    "明确各办公室、各村（社区）报送需公开信息要求，确保公开内容的全面性、有效性。二是拓宽渠道，加强管理，"
    "通过政府网站、公众号、公告公示栏、入户宣传等方式让群众全方位了解政府政策信息。三是完善机制，优化服务，"
    "强化责任意识，及时统计信息查漏补缺，确保发布信息的及时性和准确性。",
    "下一步，{we}将继续加强政务公开工作：一是加强组织领导，压实工作责任；二是丰富公开形式，多采用图文、"
    "问答等群众喜闻乐见的方式解读政策；三是加强业务培训，不断提升工作人员的能力和水平。",
)

_EXTRA = (
    "全年召开党委会、政府常务会议研究部署政务公开工作{k}次，将政务公开工作与中心工作同部署、同落实、同考核。",
    "结合“我为群众办实事”实践活动，深入村（社区）开展政策宣传{n2}场次，发放宣传资料{n1}余份。",
    "严格执行重大行政决策公众参与制度，对涉及群众切身利益的决策事项，通过座谈会、公示栏等方式广泛听取意见。",
    "及时公开惠农补贴、低保救助、乡村振兴项目等民生资金发放情况，主动接受群众监督。",
    "做好人大代表建议和政协委员提案办理结果公开，办理结果均已按要求公开。",
    "加强政务新媒体管理，对运维不力的账号及时整改，确保发布内容准确、更新及时。",
)


def _fill(text: str, v: dict[str, object]) -> str:
    return text.format(**v)


# How a township writes its prose one year: anew (its alternatives turn with the year, so two years in a row
# never read alike), `copied` (last year's text again, only the figures new: PROSE_COPIED) or `edited` (last
# year's opening and problems kept, each topic and the improvements written anew: alike, as a body's reports
# are, but not a copy, and not flagged).
PROSE_MODES = ("fresh", "copied", "edited")


def _turn(township: str, year: int) -> int:
    return zlib.crc32(township.encode("utf-8")) + year


def _rotated(items: tuple[str, ...], turn: int, k: int) -> list[str]:
    return [items[(turn + j) % len(items)] for j in range(min(k, len(items)))]


def sections(
    rng: random.Random,
    *,
    township: str,
    stem: str,
    gov: str,
    county: str,
    year: int,
    applications: int,
    length: str,
    intro: bool,
    fee_yuan: int,
    admin_fees_wan: str = "",
    mode: str = "fresh",
) -> dict[str, list[Para]]:
    """Paragraphs of sections 一, 五 and 六 (plus the foreword, under key "序"). `mode`: see PROSE_MODES; a
    copy takes `length` as last year's."""
    # What the text says is chosen by the year it was written for (last year's, for a copy); its figures
    # are this year's, drawn from `rng`.
    written = year if mode == "fresh" else year - 1
    turn, now = _turn(township, written), _turn(township, year)
    words = random.Random(f"{township}:{written}:prose")
    we = words.choice(
        ("我镇" if township.endswith("镇") else "我乡" if township.endswith("乡") else "我街道", township)
    )
    v: dict[str, object] = {
        "we": we,
        "year": year,
        "gov": gov,
        "county": county,
        "stem": stem,
        "street": rng.choice(("中心街", "人民路", "兴华路", "站前路")) + f"{rng.randint(1, 99)}号",
        "post": f"1534{rng.randint(0, 9)}0",
        "phone": f"{rng.randint(3100000, 3899999)}",
        "n1": rng.randint(60, 600),
        "n2": rng.randint(5, 60),
        "apps": applications,
        "k": rng.randint(2, 6),
    }
    out: dict[str, list[Para]] = {}
    out["序"] = [Para([(_fill(_INTRO, v), False)])] if intro else []
    overall = _fill(_OVERALL[turn % len(_OVERALL)], v)
    if written < 2022:
        # The 20th Party Congress was in October 2022; earlier reports cite the 19th (and a copy still does).
        overall = overall.replace("党的二十大精神", "党的十九大和十九届历次全会精神")
    one = [Para([(overall, False)])]
    n_topics = {"short": 3, "medium": 5, "long": 7}[length]
    topics = list(_TOPICS[:5]) if n_topics >= 5 else words.sample(_TOPICS[:5], n_topics)
    topics += list(_TOPICS[5 : 5 + max(0, n_topics - 5)])
    nums = "一二三四五六七"
    k = {"short": 1, "medium": 2, "long": 3}[length]
    for i, (head, bodies) in enumerate(topics):
        text = "".join(_fill(b, v) for b in _rotated(bodies, (now if mode == "edited" else turn) + i, k))
        if length == "long":
            text += _fill(_EXTRA[((now if mode == "edited" else turn) + i) % len(_EXTRA)], v)
        out.setdefault("一", one).append(Para([(f"（{nums[i]}）{head}", True), (text, False)]))
    improve = _IMPROVE[(now if mode == "edited" else turn) % len(_IMPROVE)]
    five = [Para([(_fill(_PROBLEMS[turn % len(_PROBLEMS)], v), False)]), Para([(_fill(improve, v), False)])]
    if length == "long":
        five.append(Para([(_fill(_EXTRA[(turn + 3) % len(_EXTRA)], v), False)]))
    out["五"] = five
    fee = f"全年收取政府信息公开信息处理费{fee_yuan}元。" if fee_yuan else "全年收取政府信息公开信息处理费 0 元。"
    six = rng.choice(
        (
            f"{fee}无其他需报告的事项。",
            f"根据《政府信息公开信息处理费管理办法》，{fee}无其他需要报告的事项。",
            f"{fee}{we}无其他需要报告的事项。",
        )
    )
    if admin_fees_wan:
        # Reports that print 行政事业性收费 in table 二 say in 六 what was charged (FEES_UNEXPLAINED otherwise).
        six = f"本年度行政事业性收费共{admin_fees_wan}万元，均按公示的收费项目和标准收取。" + six
    out["六"] = [Para([(six, False)])]
    return out
