import { defineMessages } from "../i18n/index.js";

export const regionStatusMessages = defineMessages({
  "zh-CN": {
    broken: "网格图层异常",
    brokenTitle: "网格图层有 {count} 处问题，地图上列出了每一处",
  },
  en: {
    broken: "Grid layer faulty",
    brokenTitle: "The grid layer has {count} faults, each listed on the map",
  },
});
