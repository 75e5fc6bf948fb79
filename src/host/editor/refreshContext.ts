// Before each send: attached files that changed since they were attached are re-read (same id, same place).
import type { ContextDoc } from '../../core/conversation';
import { changedDocs } from '../../core/context/docs';
import type { Logger } from '../../core/ports';
import { currentText } from './files';

export function contextRefresher(logger: Logger): (docs: readonly ContextDoc[]) => Promise<ContextDoc[]> {
  return (docs) =>
    changedDocs(docs, async (uri) => {
      try {
        return await currentText(uri);
      } catch (e) {
        logger.warn(`context: could not re-read ${uri}, keeping the attached text: ${String(e)}`);
        return undefined;
      }
    });
}
