import type { Rng } from "../rng.js";
import type { SimGrid } from "../region.js";
import type { UnitRole } from "../../shared/protocol/types.js";
import { compoundsOf, roadsOf } from "./places.js";

/*
 * Words for a street that reads like Dongcheng: names, roads, compounds and
 * case titles in the phrasing a sub-center's case list uses. All synthetic:
 * no real person's name or number is ever produced.
 */

const SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文".split("");
const GIVEN = [
  "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "霞", "平", "刚", "桂英", "秀英", "秀兰", "玉兰", "凤英",
  "建国", "建华", "志强", "海燕", "淑珍", "红梅", "德明", "春生", "晓东", "晓燕", "雪梅", "振华", "宝山", "立新", "国庆", "文静", "子涵", "浩然", "欣怡", "宇轩",
  "思远", "一鸣", "嘉怡", "佳琪", "俊杰", "丽华", "金凤", "永刚", "建军", "桂兰", "小红", "春燕", "志刚", "秀珍", "文博", "雨桐", "梓萱", "浩宇", "子豪", "晨曦",
];

export const ROLE_NAMES: Record<UnitRole, string> = {
  grid_manager: "专职网格员",
  grid_assistant: "网格助理员",
  grid_supervisor: "网格督导员",
  grid_police: "社区民警",
  grid_judicial: "司法所干部",
  grid_firefighter: "消防网格员",
  party_secretary: "社区党委书记",
  other: "城管协管员",
};

export function personName(rng: Rng): string {
  return rng.pick(SURNAMES) + rng.pick(GIVEN);
}

/** A made-up mobile number with the usual prefixes (not a real subscriber). */
export function phoneNumber(rng: Rng): string {
  return `1${rng.pick(["36", "38", "39", "50", "51", "58", "59", "86", "87", "88", "89", "33", "53", "80"])}${String(rng.int(0, 99_999_999)).padStart(8, "0")}`;
}

/** Stable per grid: the roads and compounds a grid's cases name. */
export function gridPlaces(grid: SimGrid, index: number): { roads: string[]; compounds: string[] } {
  const all = roadsOf(grid);
  const roads = [all[index % all.length]!, all[(index * 7 + 3) % all.length]!, all[(index * 13 + 5) % all.length]!];
  return { roads, compounds: compoundsOf(grid, index) };
}

type Place = { road: string; no: number; compound: string; building: number; entrance: number };
type Template = (p: Place) => string;

const TITLES: Record<string, Template[]> = {
  "0101": [(p) => `${p.compound}${p.building}号楼邻里因楼上漏水发生纠纷`, (p) => `${p.compound}${p.building}号楼邻里因噪声发生口角`, (p) => `${p.compound}${p.building}号楼楼道堆物引发邻里矛盾`, (p) => `${p.compound}居民因宠物扰民发生纠纷`],
  "0102": [(p) => `${p.compound}${p.building}号楼${p.entrance}单元家庭纠纷求助`, (p) => `${p.compound}老人反映子女不尽赡养义务`],
  "0103": [(p) => `${p.road}${p.no}号装修工地工人讨要工资`, (p) => `${p.road}${p.no}号餐馆员工反映被拖欠工资`],
  "0104": [(p) => `${p.compound}业主与物业因停车费发生纠纷`, (p) => `${p.compound}${p.building}号楼电梯停运业主投诉物业`, (p) => `${p.compound}供暖不热业主与物业发生争执`],
  "0201": [(p) => `${p.road}附近有可疑人员反复查看车辆`, (p) => `${p.compound}有陌生人挨户推销敲门`],
  "0202": [(p) => `${p.compound}${p.building}号楼楼道电动车电瓶被盗`, (p) => `${p.road}${p.no}号门前自行车多次被盗`],
  "0203": [(p) => `${p.road}${p.no}号门前十余人聚集`, (p) => `${p.compound}部分业主聚集反映拆迁补偿问题`],
  "0301": [(p) => `${p.compound}${p.building}号楼${p.entrance}单元闻到燃气味`, (p) => `${p.road}${p.no}号餐馆燃气管道疑似泄漏`],
  "0302": [(p) => `${p.compound}${p.building}号楼外墙瓷砖脱落`, (p) => `${p.road}${p.no}号楼顶广告牌松动`, (p) => `${p.compound}${p.building}号楼阳台花盆摆放在护栏外`],
  "0303": [(p) => `${p.compound}消防通道被车辆堵塞`, (p) => `${p.road}${p.no}号院消防通道堆放杂物`],
  "0304": [(p) => `${p.compound}${p.building}号楼楼道内电动车充电`, (p) => `${p.compound}${p.building}号楼居民飞线充电`],
  "0305": [(p) => `${p.road}${p.no}号院平房墙体开裂`, (p) => `${p.compound}${p.building}号楼雨棚塌落隐患`],
  "0401": [(p) => `${p.compound}${p.building}号楼垃圾桶满溢`, (p) => `${p.road}${p.no}号门前建筑垃圾乱堆`, (p) => `${p.road}胡同口大件垃圾堆放`],
  "0402": [(p) => `${p.road}绿化带内垃圾较多`, (p) => `${p.compound}花池内杂草丛生`],
  "0403": [(p) => `${p.road}${p.no}号餐馆油烟扰民`, (p) => `${p.compound}${p.building}号楼装修噪声扰民`, (p) => `${p.road}${p.no}号酒吧夜间噪声扰民`, (p) => `${p.compound}广场舞音响声音过大`],
  "0501": [(p) => `${p.road}${p.no}号门前流动摊贩占道经营`, (p) => `${p.road}路口早点摊占道经营`, (p) => `${p.road}${p.no}号商户店外经营`, (p) => `${p.road}夜间烧烤摊占用人行道`],
  "0502": [(p) => `${p.road}${p.no}号门前机动车违规停放`, (p) => `${p.road}人行道上机动车乱停`, (p) => `${p.road}路口共享单车堆积堵塞通行`],
  "0503": [(p) => `${p.compound}${p.building}号楼顶层私搭乱建`, (p) => `${p.road}${p.no}号院内新建违建房`],
  "0601": [(p) => `${p.road}${p.no}号门前井盖缺失`, (p) => `${p.road}雨水篦子破损`],
  "0602": [(p) => `${p.road}${p.no}号附近路面出现塌陷坑`, (p) => `${p.road}人行步道砖塌陷`],
  "0603": [(p) => `${p.road}${p.no}号附近路灯不亮`, (p) => `${p.compound}院内照明灯损坏`],
  "0701": [(p) => `${p.road}盲道被占用`, (p) => `${p.compound}${p.building}号楼无障碍坡道损坏`],
  "0702": [(p) => `${p.compound}独居老人生活困难求助`, (p) => `${p.compound}困难家庭申请临时救助`],
  "0703": [(p) => `${p.compound}${p.building}号楼高龄老人需上门探视`, (p) => `${p.compound}残疾人申请助餐服务`],
  "0801": [(p) => `${p.compound}${p.building}号楼阳台冒烟`, (p) => `${p.road}${p.no}号餐馆后厨起火`],
  "0802": [(p) => `${p.road}${p.no}号附近有老人摔倒受伤`, (p) => `${p.compound}${p.building}号楼有人从楼梯摔下受伤`],
};

export function caseText(rng: Rng, categoryCode: string, minor: string, grid: SimGrid, places: { roads: string[]; compounds: string[] }): { title: string; address: string } {
  const place: Place = { road: rng.pick(places.roads), no: rng.int(1, 120), compound: rng.pick(places.compounds), building: rng.int(1, 24), entrance: rng.int(1, 6) };
  const templates = TITLES[categoryCode];
  const title = templates ? rng.pick(templates)(place) : `${place.road}${place.no}号${minor}`;
  const address = title.startsWith(place.compound)
    ? `${grid.streetName}${place.compound}${place.building}号楼`
    : `${grid.streetName}${place.road}${place.no}号`;
  return { title, address };
}

const PREFIX = { patrol: "网格员巡查发现：", hotline: "市民致电12345反映：", resident_app: "居民通过手机APP上报：" } as const;

export function description(source: keyof typeof PREFIX, title: string): string {
  return `${PREFIX[source]}${title}，请尽快核实处置。`;
}

const GOOD_RESPONSES: Record<string, string[]> = {
  "01": ["已组织双方调解，达成一致意见，当事人表示满意", "已联合社区调委会上门调解，矛盾已化解"],
  "02": ["民警已到场核查，已登记相关人员信息并加强巡逻", "已调取周边监控，线索已移交刑侦部门"],
  "03": ["已到场排除隐患，现场安全", "已对隐患点位设置警示并完成整改"],
  "04": ["已安排保洁人员清运完毕，现场已恢复整洁", "已约谈商户，安装油烟净化设备，经回访居民认可"],
  "05": ["执法队员已到场劝离摊贩，恢复通行秩序", "已对违停车辆贴单告知，车辆已驶离", "已下达限期整改通知书，违建已拆除"],
  "06": ["已完成井盖补装并设置警示", "已完成路面修复，恢复通行", "已更换灯具，照明恢复正常"],
  "07": ["已上门走访，办理临时救助并纳入关爱名单", "已协调助餐点提供上门送餐服务"],
  "08": ["消防救援站已到场处置完毕，无人员伤亡", "已联系120将伤者送医，家属已到场"],
};
const POOR_RESPONSES = ["已处理", "已转相关单位", "已联系当事人", "情况属实，正在协调", "已告知"];

export function responseNote(rng: Rng, categoryCode: string, poor: boolean): string {
  if (poor) return rng.pick(POOR_RESPONSES);
  return rng.pick(GOOD_RESPONSES[categoryCode.slice(0, 2)] ?? ["已处置完毕"]);
}

export const REJECT_REASONS = ["重复上报，已并入原案件", "经核实情况不属实", "不属于网格化管理范围，已告知反映人咨询渠道", "已由其他渠道办结"];
export const PROCESS_NOTES = ["已签收，安排人员赶赴现场", "已接单，正在核实", "已派员处置"];
