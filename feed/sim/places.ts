import type { SimGrid } from "../region.js";

/*
 * Street names a case in each Dongcheng street would name (approximate, from
 * the map; not survey data), so that a 东直门 case says 东直门南小街 and a 前门
 * case 鲜鱼口街. Outside Dongcheng (city scale) names are made from the
 * street's own name.
 */

const DONGCHENG_ROADS: Record<string, string[]> = {
  "110101001": ["王府井大街", "南河沿大街", "北河沿大街", "东华门大街", "东安门大街", "南池子大街", "金鱼胡同", "帅府园胡同", "东单北大街"],
  "110101002": ["景山前街", "景山东街", "景山后街", "地安门内大街", "美术馆后街", "沙滩北街", "五四大街", "北池子大街", "黄化门街"],
  "110101003": ["交道口南大街", "南锣鼓巷", "地安门外大街", "鼓楼东大街", "东棉花胡同", "北兵马司胡同", "府学胡同", "菊儿胡同", "帽儿胡同"],
  "110101004": ["安定门内大街", "国子监街", "五道营胡同", "方家胡同", "车辇店胡同", "宝钞胡同", "安定门东大街", "分司厅胡同"],
  "110101005": ["北新桥三条", "北新桥头条", "雍和宫大街", "东直门内大街", "民安胡同", "香饵胡同", "炮局胡同", "新太仓胡同"],
  "110101006": ["东四北大街", "东四西大街", "东四六条", "东四八条", "东四四条", "钱粮胡同", "史家胡同", "演乐胡同", "礼士胡同"],
  "110101007": ["朝阳门北小街", "朝阳门南小街", "朝阳门内大街", "竹杆胡同", "大方家胡同", "南竹杆胡同", "东四十条"],
  "110101008": ["建国门内大街", "东总布胡同", "西总布胡同", "北京站街", "贡院西街", "外交部街", "赵堂子胡同", "崇文门内大街"],
  "110101009": ["东直门内大街", "东直门南小街", "东直门北小街", "东直门外大街", "香河园路", "东中街", "新中街", "春秀路", "工人体育场北路", "十字坡街", "海运仓胡同", "东外大街"],
  "110101010": ["和平里东街", "和平里中街", "和平里西街", "和平里北街", "安外大街", "安定门外大街", "黄寺大街", "小黄庄路", "青年湖北街"],
  "110101011": ["前门大街", "前门东大街", "鲜鱼口街", "大江胡同", "草厂三条", "西打磨厂街", "长巷头条", "北孝顺胡同"],
  "110101012": ["崇文门外大街", "西花市大街", "东打磨厂街", "南羊市口街", "手帕胡同", "花市上头条"],
  "110101013": ["东花市大街", "广渠门内大街", "东花市北里东街", "东花市斜街", "南小市口街", "忠实里南街"],
  "110101014": ["龙潭路", "法华寺街", "光明路", "夕照寺街", "左安门内大街", "龙潭北里", "广渠门内大街"],
  "110101015": ["体育馆路", "天坛东路", "幸福大街", "光明路", "东革新里", "四块玉南街"],
  "110101016": ["天坛路", "天坛东路", "永定门内大街", "金鱼池街", "天坛东里", "红桥路", "祈年大街"],
  "110101017": ["永定门外大街", "沙子口路", "安乐林路", "定安东里", "桃杨路", "宝华里", "琉璃井路"],
};

const stem = (name: string): string => name.replace(/(街道办事处|街道|地区办事处|地区|镇|乡)$/u, "") || name;
const communityStem = (name: string): string => name.replace(/(社区居委会|村委会|居委会|社区|村)$/u, "") || name;

export function roadsOf(grid: SimGrid): string[] {
  const known = DONGCHENG_ROADS[grid.streetCode];
  if (known) return known;
  const street = stem(grid.streetName);
  const community = communityStem(grid.communityName);
  return [`${street}路`, `${street}大街`, `${street}北路`, `${street}南街`, `${community}路`, `${community}东街`];
}

const COMPOUND_SUFFIXES = ["小区", "北里", "南里", "西里", "东里"];

/** Residential compounds named after the community, as most are. */
export function compoundsOf(grid: SimGrid, index: number): string[] {
  const base = communityStem(grid.communityName);
  // A community named 胡家园 or 清水苑 already names its compound: add 小区, not another 园.
  if (/[园苑里院]$/u.test(base)) return [base, `${base}小区`];
  return [`${base}${COMPOUND_SUFFIXES[index % COMPOUND_SUFFIXES.length]!}`, `${base}${COMPOUND_SUFFIXES[(index + 2) % COMPOUND_SUFFIXES.length]!}`];
}
