/**
 * Hong Kong Traditional Chinese, the register's default language. Wording follows the counter's
 * own words (UX.md): 收銀員, 條碼, 掃描, 待同步, 打印機, never Mainland terms.
 * The shape of this object is the key set: en.ts must match it exactly.
 */
export const zhHK = {
  app: {
    name: '算盤',
  },
  status: {
    notLoggedIn: '未登入',
    roleInBrackets: '（{{role}}）',
    pending: '{{count}} 待同步',
    sync: {
      'not-enrolled': '未連接雲端',
      online: '已連線',
      offline: '離線',
      attention: '同步出錯',
    },
    printer: {
      'not-configured': '未設定打印機',
      ready: '打印機正常',
      offline: '打印機離線',
      'paper-out': '打印機缺紙',
      'cover-open': '打印機蓋未關',
    },
    clock: '時間',
  },
  role: {
    cashier: '收銀員',
    manager: '經理',
  },
  connection: {
    connectingTitle: '正在連接收銀機…',
    unreachableTitle: '未能連接收銀機',
    unreachableBody: '請檢查收銀機程式是否正在運行，系統會自動重試。',
    noBridgeTitle: '此畫面未連接收銀機',
    noBridgeBody: '請從收銀機程式開啟此畫面，系統會自動重新載入。',
    retryIn: '{{seconds}} 秒後自動重試',
    retrying: '正在重試…',
    retryNow: '立即重試',
  },
  login: {
    title: '登入',
    chooseStaff: '請選擇你的名字',
    enterPin: '請輸入密碼',
    pinFor: '{{name}}，請輸入密碼',
    pinEntered: '已輸入 {{count}} 位',
    noStaff: '未有員工資料，請聯絡經理設定。',
    loadingStaff: '正在載入員工名單…',
    staffListFailed: '未能載入員工名單。',
    reloadStaff: '重新載入',
    keyClear: '清除',
    keyDelete: '刪除',
    keyEnter: '登入',
    error: {
      CHOOSE_STAFF: '請先選擇你的名字',
      PIN_TOO_SHORT: '密碼須為 4 至 8 位數字',
      PIN_INVALID: '密碼錯誤，請再試',
      LOCKED_OUT: '帳戶已鎖定，請稍後再試或請經理協助',
      FAILED: '未能登入，請再試',
    },
  },
  priceCheck: {
    title: '查價',
    scanLabel: '條碼',
    scanPlaceholder: '掃描或輸入條碼',
    lookup: '查價',
    looking: '查詢中…',
    emptyPanel: '掃描條碼或點選常用貨品，即可查看價錢。',
    favourites: '常用貨品',
    favouritesLoading: '正在載入常用貨品…',
    favouritesEmpty: '未設定常用貨品',
    favouritesFailed: '未能載入常用貨品。',
    favouritesRetry: '重新載入',
    error: {
      NOT_FOUND: '找不到貨品：{{code}}',
      INVALID_CODE: '條碼無效，請再掃描',
      FORBIDDEN: '你沒有查價權限，請聯絡經理',
      FAILED: '查價失敗，請再試',
    },
  },
  product: {
    sku: '貨號',
    barcodes: '條碼',
    price: '售價',
  },
  action: {
    clear: '清除',
    clearPin: '清除密碼',
    logout: '登出',
    language: '語言',
    bar: '操作',
  },
  language: {
    'zh-HK': '中',
    en: 'EN',
  },
};

export type Messages = typeof zhHK;
