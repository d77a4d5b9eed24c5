/** An installment schedule: one row per month (payment, principal, interest, remaining principal). */
Component({
  properties: {
    /** ScheduleRow[] from bill.installmentOffers. */
    rows: { type: Array, value: [] },
  },
});
