"""Fictional bureau identity and the clean text pools that fill the sample site's regular articles."""

from __future__ import annotations

import datetime
import random

SITE_NAME = "青山县审计局"
SITE_DOMAIN = "sjj.qingshanxian.gov.cn"      # fictional; the site is really served from 127.0.0.1
SITE_CODE = "3399000012"                 # 10-digit 网站标识码 (region 3399 does not exist)
OLD_SITE_CODE = "339900001"              # the old GBK template's footer: 9 digits, wrong
ICP = "浙ICP备99000012号-1"
GONGAN = "浙公网安备 33999902000123号"
ADDRESS = "青山县城关镇人民路88号"
OFFICE_PHONE = "0579-88880000"
CONAC_URL = "https://bszs.conac.cn/sitename?method=show&id=0000000000000000"
ICP_URL = "https://beian.miit.gov.cn/"
GONGAN_URL = "http://www.beian.gov.cn/portal/registerSystemInfo?recordcode=33999902000123"
FRIEND_LINKS = (("中国政府网", "https://www.gov.cn/"), ("审计署", "https://www.audit.gov.cn/"),
                ("青山县人民政府", "https://www.qingshanxian.gov.cn/"))
ORG_CODE = "003399012"                   # 9-character 组织机构代码 used in 索引号

TOWNS = ("青溪镇", "云岭镇", "石门乡", "白沙镇", "桃源乡", "枫林镇", "龙潭街道", "松岗乡", "竹坞乡", "东湖街道")
UNITS = ("县财政局", "县教育局", "县卫生健康局", "县医疗保障局", "县住房和城乡建设局", "县农业农村局",
         "县自然资源和规划局", "县水利局", "县民政局", "县人力资源和社会保障局", "县交通运输局")
TOPICS = ("粮食购销领域专项", "农村集体“三资”管理", "政府投资建设项目", "自然资源资产离任", "养老保险基金",
          "乡村振兴衔接资金", "教育专项资金", "医疗保障基金", "住房公积金", "政府债务管理",
          "惠民惠农财政补贴“一卡通”", "国有企业经营管理")
STUDY = ("新修订的审计法", "《中华人民共和国审计法实施条例》", "审计业务规范", "保密法律法规",
         "习近平新时代中国特色社会主义思想", "党纪学习教育相关内容", "《政府信息公开条例》")
TRAINING = ("审计业务能力提升", "大数据审计", "工程审计实务", "公文写作与信息宣传", "内部审计业务")
THEMES = ("扫黑除恶常态化", "优化营商环境", "安全生产月", "全民国家安全教育日", "平安建设", "反电信网络诈骗",
          "法治审计", "清廉机关建设")
HOLIDAYS = ("元旦", "春节", "清明节", "劳动节", "端午节", "中秋节", "国庆节")
PEOPLE = ("林晓峰", "陈思远", "周雨桐", "吴建国", "郑佳怡", "何志明", "许文博", "沈丽华")
# Names with a character outside GB2312 (but inside GBK) for the old GBK column.
GBK_PEOPLE = ("王喆", "陈镕", "李喆", "周镕", "赵喆", "孙镕")
ROLES = ("原党委书记", "原镇长", "原副镇长", "党委书记")
RULES = ("审计项目质量控制办法", "审计现场管理办法", "审计业务会议制度", "审计发现问题线索移送办法",
         "内部控制管理制度", "公务接待管理办法", "审计档案管理办法", "审计项目计划管理办法",
         "审计整改跟踪检查办法", "内部审计指导监督工作规定", "审计结果公告办法", "特约审计员管理办法")
# The old 规范性文件 column's documents: no interpretation on the site names any of them.
OLD_RULES = ("差旅费管理办法", "机关财务管理制度", "公文处理办法", "审计工作廉政纪律规定", "固定资产管理办法",
             "机关效能建设制度", "保密工作管理制度", "机关考勤管理制度")

_MEETING = (
    "会议指出，开展本次审计是贯彻落实县委、县政府决策部署的重要举措，要聚焦资金管理使用、政策措施落实和内部控制制度执行情况，做到应审尽审、凡审必严、严肃问责。",
    "会议要求，被审计单位要积极配合审计工作，如实提供相关资料，对所提供资料的真实性和完整性负责；审计组要严格遵守审计纪律和廉政规定，依法依规开展审计。",
    "审计组将重点关注专项资金的筹集、分配、管理和使用情况，揭示体制机制性障碍和制度性缺陷，推动完善制度、堵塞漏洞。",
    "下一步，县审计局将持续跟踪问题整改情况，以审计整改实效推动政策落地见效，切实发挥审计在党和国家监督体系中的重要作用。",
)
_STUDY = (
    "学习会上，与会人员围绕学习内容进行了交流发言，一致表示要把学习成果转化为做好审计工作的实际行动。",
    "会议强调，全局干部职工要坚持学思用贯通、知信行统一，不断提高政治判断力、政治领悟力、政治执行力。",
    "此次活动进一步增强了干部职工的纪律意识和规矩意识，为推动全县审计工作高质量发展提供了坚强保障。",
    "局主要负责人要求，各科室要结合审计项目实施，把学习成效体现到提升审计质量、防范审计风险上来。",
)


def cn_date(day: datetime.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def md(day: datetime.date) -> str:
    return f"{day.month}月{day.day}日"


def dynamic(rng: random.Random, day: datetime.date) -> tuple[str, list[str]]:
    kind = rng.randrange(5)
    town, unit, topic = rng.choice(TOWNS), rng.choice(UNITS), rng.choice(TOPICS)
    if kind == 0:
        title = f"{town}{topic}审计项目进点会召开"
        first = f"{md(day)}，县审计局{topic}审计组在{town}召开审计进点会。局党组成员、副局长出席会议并讲话，{town}主要负责人及相关站所负责人参加会议。"
        rest = rng.sample(_MEETING, 2)
    elif kind == 1:
        title = f"县审计局与{unit}召开审计情况交换意见会"
        first = f"{md(day)}，县审计局{topic}审计组与{unit}召开审计情况交换意见会，通报审计发现的主要问题并听取意见。"
        rest = [_MEETING[3]]
    elif kind == 2:
        study = rng.choice(STUDY)
        title = f"县审计局党组理论学习中心组开展{study}专题学习"
        first = f"{md(day)}，县审计局党组理论学习中心组开展专题学习，深入学习{study}。"
        rest = rng.sample(_STUDY, 2)
    elif kind == 3:
        training = rng.choice(TRAINING)
        title = f"县审计局举办{training}培训班"
        first = f"{md(day)}至{md(day + datetime.timedelta(days=1))}，县审计局举办{training}培训班，全局审计业务人员参加培训。"
        rest = [_STUDY[3], _STUDY[0]]
    else:
        title = f"县审计局赴{town}开展{topic}审计整改“回头看”"
        first = f"{md(day)}，县审计局组成工作组赴{town}，对{topic}审计发现问题的整改情况开展“回头看”。"
        rest = [_MEETING[2], _MEETING[3]]
    return title, [first, *rest]


def notice(rng: random.Random, day: datetime.date) -> tuple[str, list[str]]:
    kind = rng.randrange(3)
    if kind == 0:
        holiday = rng.choice(HOLIDAYS)
        title = f"青山县审计局关于{day.year}年{holiday}期间值班安排的公告"
        body = [f"根据县政府办公室关于{holiday}放假安排的通知精神，现将我局{holiday}期间值班安排公告如下：",
                "一、值班时间为放假期间每日8:30至17:30，夜间由带班领导负责联络。",
                "二、值班人员要坚守岗位，做好来电来访登记，遇有重要情况及时报告。",
                f"值班电话：{OFFICE_PHONE}。"]
    elif kind == 1:
        title = f"关于征集{day.year + 1}年度审计项目计划建议的公告"
        body = ["为提高审计项目计划的科学性和针对性，现面向社会公开征集审计项目计划建议，有关事项公告如下：",
                "一、征集内容为涉及民生保障、重大政策落实和公共资金使用的审计事项。",
                "二、建议可通过来信或本网站互动交流栏目提交，请注明建议事项和理由。",
                "三、征集截止时间以本公告发布之日起一个月为限。"]
    else:
        training = rng.choice(TRAINING)
        title = f"关于组织参加{day.year}年度{training}培训的通知"
        body = ["各有关单位：", f"为进一步提高内部审计人员业务水平，经研究，决定组织开展{training}培训，现将有关事项通知如下：",
                "一、培训对象为各单位内部审计机构负责人及业务骨干。", "二、培训内容包括审计法律法规、审计实务和案例分析。",
                "三、请各单位按时报送参训人员名单。", "特此通知。"]
    return title, body


def rule_title(rng: random.Random, day: datetime.date) -> str:
    return f"青山县审计局关于印发《青山县审计局{rng.choice(RULES)}》的通知"


def rule_body(name: str, doc_no: str, written: datetime.date) -> list[str]:
    return ["局各科室、直属单位：", f"现将《{name}》印发给你们，请认真贯彻执行。", "附件：" + name,
            "第一条　为规范审计工作，提高审计质量，根据《中华人民共和国审计法》及有关规定，结合本局实际，制定本办法。",
            "第二条　本办法适用于本局组织实施的各类审计项目。", "第三条　本办法由局办公室负责解释，自印发之日起施行。",
            f"青山县审计局　{doc_no}", cn_date(written)]


def interpretation_body(name: str) -> list[str]:
    return [f"一、制定背景：为贯彻落实上级审计机关有关要求，进一步规范审计工作，我局制定了《{name}》。",
            "二、主要内容：明确了适用范围、职责分工、工作程序和监督管理等内容。",
            "三、施行时间：自印发之日起施行。如有疑问，可通过本网站互动交流栏目咨询。"]


def personnel(rng: random.Random, day: datetime.date) -> tuple[str, list[str]]:
    name = rng.choice(PEOPLE)
    if rng.randrange(2):
        title = f"青山县审计局关于{name}等同志试用期满考核合格的公示"
        body = [f"根据公务员管理有关规定，{name}等同志试用期已满，经考核合格，拟予以任职定级，现予公示。",
                "公示期为5个工作日。如有异议，请以书面形式向局机关党支部反映。", f"监督电话：{OFFICE_PHONE}"]
    else:
        title = f"关于{name}同志职级晋升的公示"
        body = [f"经局党组研究，拟晋升{name}同志职级，现予公示。公示期间，对公示对象有异议的，可通过来信来电反映。",
                f"监督电话：{OFFICE_PHONE}"]
    return title, body


def planning(rng: random.Random, day: datetime.date) -> tuple[str, list[str]]:
    year = day.year
    kind = rng.randrange(3)
    title = (f"青山县审计局{year}年度审计项目计划", f"青山县审计局{year}年普法依法治理工作计划",
             f"青山县审计局{year}年政务公开工作要点")[kind]
    body = [f"为做好{year}年度工作，结合我局实际，制定本计划。",
            "一、指导思想：以习近平新时代中国特色社会主义思想为指导，依法全面履行审计监督职责。",
            "二、主要任务：围绕县委、县政府中心工作，统筹安排审计项目，突出重点领域和关键环节。",
            "三、保障措施：加强组织领导，压实工作责任，强化督促检查，确保各项任务落到实处。"]
    return title, body


def budget(rng: random.Random, day: datetime.date) -> tuple[str, list[str]]:
    if day.month <= 3:
        title = f"青山县审计局{day.year}年部门预算公开"
    elif 7 <= day.month <= 9:
        title = f"青山县审计局{day.year - 1}年部门决算公开"
    else:
        title = f"青山县审计局{day.year}年{day.month}月政府采购意向公开"
    return title, ["根据预决算公开有关规定，现将有关情况予以公开，具体内容详见附件。"]


def audit_result(rng: random.Random, day: datetime.date) -> tuple[str, list[str]]:
    unit, topic = rng.choice(UNITS), rng.choice(TOPICS)
    if rng.randrange(2):
        title = f"关于{unit}{day.year - 1}年度预算执行情况审计结果的公告"
        subject = f"{unit}{day.year - 1}年度预算执行情况"
    else:
        title = f"青山县{day.year - 1}年度{topic}审计调查结果公告"
        subject = f"全县{topic}情况"
    body = [f"根据《中华人民共和国审计法》的规定，县审计局对{subject}进行了审计，现将审计结果公告如下：",
            "一、基本情况：被审计单位能够贯彻落实上级决策部署，资金管理总体规范。",
            "二、审计发现的主要问题：部分项目资金拨付不及时，个别合同管理不够规范。",
            "三、审计处理及整改情况：对审计发现的问题，县审计局已依法出具审计报告，被审计单位已按要求整改。"]
    return title, body


def pre_audit(rng: random.Random, day: datetime.date) -> tuple[str, list[str]]:
    town, name, role = rng.choice(TOWNS), rng.choice(GBK_PEOPLE), rng.choice(ROLES)
    title = f"关于对{town}{role}{name}同志任期经济责任审计的审前公示"
    body = [f"根据县审计项目计划安排，县审计局将自{cn_date(day + datetime.timedelta(days=7))}起，对{town}{role}{name}同志任期经济责任履行情况进行审计。",
            "审计期间，欢迎社会各界对被审计领导干部任职期间经济责任履行情况反映问题，对审计组的工作作风和廉洁纪律进行监督。",
            f"监督电话：{OFFICE_PHONE}"]
    return title, body


def special(rng: random.Random, day: datetime.date) -> tuple[str, list[str]]:
    theme = rng.choice(THEMES)
    title = f"县审计局开展{theme}宣传活动"
    body = [f"{md(day)}，县审计局组织干部职工开展{theme}宣传活动，通过发放宣传资料、现场答疑等方式普及相关知识。",
            _STUDY[2]]
    return title, body


def message(rng: random.Random, day: datetime.date) -> tuple[str, str, str]:
    town, topic = rng.choice(TOWNS), rng.choice(TOPICS)
    title = rng.choice((f"咨询{topic}审计相关问题", f"关于{town}道路工程审计的咨询", f"询问{topic}审计结果何时公开"))
    ask = f"您好，我想了解{topic}审计的有关情况，请问相关审计结果会在什么时候公开？"
    reply = "您好！您的留言已收悉。审计结果将按照审计结果公告有关规定在本网站审计结果公告栏目公开，感谢您对审计工作的关注和支持。"
    return title, ask, reply
