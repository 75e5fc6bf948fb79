// What the composer may do with the chat: the ChatApp's actions, as the composer's ComposerChat port.
import type { ChatApp } from '../chat/chatApp';
import type { ComposerChat } from './service';

/** What the composer may do with the chat. */
export function composerChat(app: ChatApp): ComposerChat {
  return {
    hasKey: async () => !!(await app.keys()).key,
    post: (m) => app.post(m),
    sendTurn: (text, ref, command, docs) => app.send(text, ref, { command, attach: docs, withAttachments: true }),
    contextLabels: () => app.session.context.filter((d) => d.kind === 'file' || d.kind === 'selection').map((d) => d.label),
    newChat: () => app.newChat(),
    models: async () => (await app.modelList()).models,
    model: () => app.model(),
    setModel: (id) => app.setModel(id),
    notice: (message) => app.post({ type: 'notice', message }),
  };
}
