/** Where Webex posts the bot's webhooks; apart from the transport so the app loads no Webex SDK when Webex is off. */
export const WEBEX_EVENTS_PATH = '/webex/events';
