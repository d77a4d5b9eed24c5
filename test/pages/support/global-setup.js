/** The pages load TDesign from miniprogram/miniprogram_npm: make sure it is built (also after `npm ci --ignore-scripts`). */
module.exports = async () => {
  require('../../../scripts/build-mp-npm').build({ quiet: true });
};
