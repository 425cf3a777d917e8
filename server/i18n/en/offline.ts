import type { offline as ja } from '../ja/offline.js';

export const offline: Record<keyof typeof ja, string> = {
  'offline.title': 'No connection',
  'offline.lead': 'When the signal returns, waiting records are sent on their own. Keep this page open.',
  'offline.listTitle': 'Kept on this device',
  'offline.empty': 'No drafts and nothing waiting to be sent.',
  'offline.retry': 'Try again',
  'offline.restored': 'Your earlier draft has been put back.',
  'offline.queued': 'No connection: saved on this device. It will be sent when the signal returns.',
  'offline.failed': 'This could not be saved on the device. Send it again once you have a signal.',
  'offline.state.draft': 'Draft:',
  'offline.state.waiting': 'Waiting to be sent:',
  'offline.state.sent': 'Sent:',
  'offline.state.refused': 'Needs attention (open the form to fix it):',
};
