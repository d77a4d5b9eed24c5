/** An amount of money, shown the way WeChat Pay shows it: ¥, thousands separators, smaller fen. */
Component({
  properties: {
    /** Two-decimal money string from the API ("7300.00"). */
    amount: { type: String, value: '' },
    /** xl (the one number of a page) · lg · md · sm */
    size: { type: String, value: 'md' },
    /** default · green · danger · muted */
    tone: { type: String, value: 'default' },
    symbol: { type: Boolean, value: true },
  },
});
