export { mailchimpConnector, type MailchimpConnector } from './connector';
