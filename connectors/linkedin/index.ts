export { linkedinConnector, LINKEDIN, type LinkedInConnector } from './connector';
