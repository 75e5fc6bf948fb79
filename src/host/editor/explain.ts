// "Explain Selection" and "Add Selection to Context": the active editor's selection as a chat message or as a
// context document. Explain attaches the whole file first (a cached block), so a second explain on the same
// file reads it from cache.
import * as vscode from 'vscode';
import { commandId } from '../commandIds';
import { explainMessage, FileInfo, fileDoc, LineRange, selectionDoc, turnRef } from '../../core/context/docs';
import type { ChatApp } from '../../core/chat/chatApp';
import { labelOf, readContextSettings } from './files';

/** The selection's 0-based line range; a selection ending at column 0 does not include that line. */
export function selectionLines(sel: vscode.Selection | vscode.Range): LineRange {
  const endLine = sel.end.character === 0 && sel.end.line > sel.start.line ? sel.end.line - 1 : sel.end.line;
  return { startLine: sel.start.line, endLine };
}

/** The active editor with a non-empty selection, or undefined after telling the user what is missing. */
export function editorWithSelection(what: string): vscode.TextEditor | undefined {
  const editor = vscode.window.activeTextEditor;
  if (!editor || editor.selection.isEmpty) {
    void vscode.window.showInformationMessage(`Select some code in an editor to ${what}.`);
    return undefined;
  }
  return editor;
}

function fileInfo(doc: vscode.TextDocument, text = doc.getText()): FileInfo {
  return { uri: doc.uri.toString(), label: labelOf(doc.uri), languageId: doc.languageId, text };
}

export async function explainSelection(chat: ChatApp): Promise<void> {
  const editor = editorWithSelection('explain it');
  if (!editor) return;
  if (chat.session.busy) {
    void vscode.window.showInformationMessage('Claude is still answering. Explain again when the reply has finished (or stop it).');
    return;
  }
  // Without a key nothing is attached or sent (it used to leave a failed turn and a stray context chip).
  if (!(await chat.requireKey())) return;
  const doc = editor.document;
  const lines = selectionLines(editor.selection);
  const file = fileInfo(doc);
  const { maxFileKB } = readContextSettings();
  if (Buffer.byteLength(file.text) <= maxFileKB * 1024) chat.attachContext([fileDoc(file)]);
  else vscode.window.setStatusBarMessage(`$(info) ${file.label} is over ${maxFileKB} KB: only the selection is sent`, 5000);
  await vscode.commands.executeCommand(commandId('focus'));
  await chat.send(explainMessage(file.label, lines, doc.languageId, doc.getText(editor.selection)), turnRef(file, lines), { command: { name: 'explain', args: '' } });
}

export async function addSelectionToContext(chat: ChatApp): Promise<void> {
  const editor = editorWithSelection('add it to the context');
  if (!editor) return;
  const doc = editor.document;
  const lines = selectionLines(editor.selection);
  chat.attachContext([selectionDoc(fileInfo(doc, doc.getText(editor.selection)), lines)]);
  await vscode.commands.executeCommand(commandId('focus'));
}
