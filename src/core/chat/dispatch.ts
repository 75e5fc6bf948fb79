// What each message from the chat webview does: one handler per WebviewToHost type. The table's type has one
// entry per message type, so a new message without a handler does not compile.
import type { WebviewToHost } from '../../shared/protocol';
import type { ChatApp } from './chatApp';

type AttachmentMessage = 'attachFile' | 'attachUris' | 'pickAttachments' | 'removeAttachment' | 'openAttachment' | 'openCitation' | 'imagePrepared';

/** Images and PDFs: each handler reaches the chat's attachment tray (refused with a notice when there is none). */
function attachmentHandlers(app: ChatApp): Pick<Handlers, AttachmentMessage> {
  const tray = () => {
    if (!app.attachments) app.post({ type: 'notice', message: 'Attachments are not available here.' });
    return app.attachments?.tray;
  };
  return {
    attachFile: (m) => tray()?.attachFile(m),
    attachUris: (m) => tray()?.attachUris(m.uris),
    pickAttachments: () => tray()?.pick(),
    removeAttachment: (m) => tray()?.remove(m.id),
    openAttachment: (m) => tray()?.open(m.id),
    openCitation: (m) => tray()?.openCitation(m),
    imagePrepared: (m) => app.attachments?.preparer.answer(m),
  };
}

/** What "Open Settings" in the chat shows. */
export const SETTINGS_SECTION = 'claudeChat';

type Message<K extends WebviewToHost['type']> = Extract<WebviewToHost, { type: K }>;

export type Handlers = { [K in WebviewToHost['type']]: (m: Message<K>) => Promise<void> | void };

export function webviewHandlers(app: ChatApp): Handlers {
  const { session, history } = app;
  const guarded = (start: () => Promise<void>) => async () => {
    if (await app.allowed()) await start();
  };
  return {
    ready: () => app.ready(),
    loadOlder: (m) => app.loadOlder(m.conversationId, m.before),
    send: (m) => app.submit(m.text),
    complete: (m) => app.composer?.complete(m),
    stop: () => session.stop(),
    retry: guarded(() => session.retry()),
    continue: guarded(() => session.continueReply()),
    continueTools: guarded(() => session.resumeTools()),
    trim: () => session.trimAndRetry(),
    toolDecision: (m) => {
      app.ports.approvals.decide(m.toolId, m.decision);
    },
    newChat: () => app.newChat(),
    showHistory: () => app.pushHistory(true),
    openConversation: (m) => app.openConversation(m.id),
    renameConversation: async (m) => {
      await history.rename(m.id);
      await app.pushHistory(false);
    },
    deleteConversation: (m) => history.delete(m.id, () => void app.pushState().then(() => app.pushHistory(false))),
    exportConversation: () => history.exportOpen(),
    setModel: (m) => app.setModel(m.model),
    refreshModels: () => app.pushModels(true),
    draft: (m) => app.scheduleEstimate(m.text),
    removeContext: (m) => app.removeContext(m.id),
    revealContext: (m) => app.revealContext(m.id),
    revealRef: (m) => app.revealRef(m.turnId),
    runCommand: (m) => (m.command === 'setApiKey' ? app.ports.commands.setApiKey() : app.ports.commands.openSettings(SETTINGS_SECTION)),
    openLink: (m) => app.openLink(m.href),
    codeBlockAction: (m) => app.ports.codeBlocks.run(m.action, m.code, m.lang),
    compact: () => app.compact(),
    editResend: (m) => app.actions.editResend(m.turnId, m.text),
    restoreCheckpoint: (m) => app.actions.restoreCheckpoint(m.turnId),
    ...attachmentHandlers(app),
    setEffort: (m) => app.controls.setEffort(m.effort),
    setToolChoice: (m) => app.controls.setToolChoice(m.choice),
    setWebTools: (m) => app.controls.setWebTools(m.on),
  };
}

export async function dispatch(handlers: Handlers, m: WebviewToHost): Promise<void> {
  // The guard has checked `m` against its type; the cast only joins the per-type handler signatures.
  await (handlers[m.type] as (m: WebviewToHost) => Promise<void> | void)(m);
}
