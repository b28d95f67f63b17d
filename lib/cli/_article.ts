/**
 * The article's news paragraph, in a module of its own: the CLI's registry
 * names it as the summarization example without loading the demo (and the
 * library) at start-up.
 *
 * @module
 */

/** The article's news paragraph (iThome, https://www.ithome.com.tw/news/157763). */
export const ARTICLE_PARAGRAPH =
  "在接獲美國政府用戶通報下，微軟發現中國駭客組織利用所獲得的一個微軟帳號（MSA）消費者簽章金鑰來偽造身分認證權杖，以存取使用Outlook Web Access in Exchange Online（OWA）及Outlook.com的用戶，估計影響歐美地區的25個政府組織與相關個人";
