export { googleAdsConnector, GOOGLE_ADS, type GoogleAdsConnector } from './connector';
