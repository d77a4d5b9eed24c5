/** The loading / empty / error placeholder every page uses, so the three states look the same everywhere. */
Component({
  properties: {
    /** loading · empty · error */
    state: { type: String, value: 'loading' },
    title: { type: String, value: '' },
    desc: { type: String, value: '' },
    actionText: { type: String, value: '' },
  },
  methods: {
    onAction() {
      this.triggerEvent('action');
    },
  },
});
