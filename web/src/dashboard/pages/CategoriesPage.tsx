import { useId, useRef, useState } from 'preact/hooks';
import { CreateCategoryDocument, DeleteCategoryDocument, UpdateCategoryDocument, type CategoryInput } from '../../generated/graphql';
import { allowedParents, MAX_CATEGORY_DEPTH, type CategoryNode } from '../../lib/categories';
import { errorMessage } from '../../lib/errors';
import { charCount } from '../../lib/format';
import { request } from '../../lib/graphql';
import { t } from '../../lib/i18n';
import { Button } from '../components/Button';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { Dialog } from '../components/Dialog';
import { Field } from '../components/Field';
import { LoadingLine } from '../components/LoadingLine';
import { Notice } from '../components/Notice';
import { PageHeading } from '../components/PageHeading';
import { RetryNotice } from '../components/RetryNotice';
import { useCategories } from '../catalog/useCategories';
import { useAction, useLang } from '../hooks';

/** The server's longest category name. */
const NAME_MAX = 100;

/** `/dashboard/categories/`: the tree, and creating, renaming, moving and deleting categories. */
export function CategoriesPage() {
  useLang();
  const categories = useCategories();
  const [editing, setEditing] = useState<CategoryNode | null>(null);
  const [deleting, setDeleting] = useState<CategoryNode | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const treeHeading = useRef<HTMLHeadingElement>(null);
  const tree = categories.tree;

  return (
    <>
      <PageHeading title={t('categories.title')}>
        <p class="lead">{t('categories.intro', { max: MAX_CATEGORY_DEPTH })}</p>
      </PageHeading>
      <div class="wide-stack">
        {tree && (
          <CreateCategory
            tree={tree}
            onCreated={async (name) => {
              await categories.reload();
              setMessage(t('categories.created', { name }));
            }}
          />
        )}
        <section class="card section" aria-labelledby="category-tree-title">
          <h2 id="category-tree-title" ref={treeHeading} tabIndex={-1}>
            {t('categories.treeTitle')}
          </h2>
          <p class="sr-status" role="status">
            {message}
          </p>
          {!tree && categories.error === null && <LoadingLine />}
          {categories.error !== null && <RetryNotice error={categories.error} onRetry={categories.reload} />}
          {tree && tree.length === 0 && <p class="muted">{t('categories.empty')}</p>}
          {tree && tree.length > 0 && (
            <Branch
              nodes={tree}
              onEdit={(node) => {
                setMessage(null);
                setEditing(node);
              }}
              onDelete={(node) => {
                setMessage(null);
                setDeleting(node);
              }}
            />
          )}
        </section>
      </div>
      <Dialog open={editing !== null} title={t('categories.editTitle')} onClose={() => setEditing(null)} fallbackFocus={() => treeHeading.current}>
        {editing && tree && (
          <EditCategory
            key={editing.id}
            node={editing}
            tree={tree}
            onSaved={async (name) => {
              setEditing(null);
              await categories.reload();
              setMessage(t('categories.saved', { name }));
            }}
            onCancel={() => setEditing(null)}
          />
        )}
      </Dialog>
      <ConfirmDialog
        open={deleting !== null}
        title={t('categories.deleteTitle')}
        text={deleting ? t('categories.deleteText', { name: deleting.name }) : ''}
        confirmLabel={t('categories.deleteConfirm')}
        busyLabel={t('categories.deleting')}
        onConfirm={async () => {
          if (!deleting) return;
          await request(DeleteCategoryDocument, { id: deleting.id });
          await categories.reload();
          setMessage(t('categories.deleted', { name: deleting.name }));
        }}
        onClose={() => setDeleting(null)}
        // The deleted category's button is gone: focus goes to the tree's heading.
        fallbackFocus={() => treeHeading.current}
      />
    </>
  );
}

function Branch({ nodes, onEdit, onDelete }: { nodes: CategoryNode[]; onEdit(node: CategoryNode): void; onDelete(node: CategoryNode): void }) {
  return (
    <ul class="category-tree">
      {nodes.map((node) => (
        <li key={node.id} data-category-id={node.id} data-depth={node.depth}>
          <div class="category-row">
            <span class="category-name">{node.name}</span>
            <span class="muted category-slug">/{node.slug}</span>
            <span class="category-actions">
              <Button variant="secondary" class="btn-small" aria-haspopup="dialog" aria-label={`${t('categories.edit')}: ${node.name}`} onClick={() => onEdit(node)}>
                {t('categories.edit')}
              </Button>
              <Button variant="ghost" class="btn-small btn-danger-text" aria-haspopup="dialog" aria-label={`${t('categories.delete')}: ${node.name}`} onClick={() => onDelete(node)}>
                {t('categories.delete')}
              </Button>
            </span>
          </div>
          {node.children.length > 0 && <Branch nodes={node.children} onEdit={onEdit} onDelete={onDelete} />}
        </li>
      ))}
    </ul>
  );
}

/** A select of where a category may go: the top, or a category that keeps the tree within three levels. */
function ParentSelect({ tree, moving, value, onChange }: { tree: CategoryNode[]; moving: string | null; value: string; onChange(value: string): void }) {
  const id = useId();
  const allowed = allowedParents(tree, moving);
  return (
    <div class="field">
      <label class="field-label" for={id}>
        {t('categories.parent')}
      </label>
      <select id={id} class="input" value={value} aria-describedby={`${id}-hint`} onChange={(e) => onChange(e.currentTarget.value)}>
        <option value="">{t('categories.top')}</option>
        {allowed.map((node) => (
          <option key={node.id} value={node.id}>
            {node.path.join(' › ')}
          </option>
        ))}
      </select>
      <p class="field-hint" id={`${id}-hint`}>
        {t('categories.parentHint', { max: MAX_CATEGORY_DEPTH })}
      </p>
    </div>
  );
}

function nameProblem(name: string): string | null {
  if (name.trim() === '') return t('error.required');
  if (charCount(name.trim()) > NAME_MAX) return t('error.tooLong', { max: NAME_MAX });
  return null;
}

function CreateCategory({ tree, onCreated }: { tree: CategoryNode[]; onCreated(name: string): Promise<void> }) {
  const lang = useLang();
  const [name, setName] = useState('');
  const [parent, setParent] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const nameInput = useRef<HTMLInputElement>(null);
  const create = useAction(async (input: CategoryInput) => (await request(CreateCategoryDocument, { input })).createCategory);

  const submit = async (event: Event) => {
    event.preventDefault();
    const refused = nameProblem(name);
    setProblem(refused);
    if (refused) {
      nameInput.current?.focus();
      return;
    }
    const created = await create.run({ name: name.trim(), parentId: parent === '' ? null : parent });
    if (!created) return;
    setName('');
    await onCreated(created.name);
    nameInput.current?.focus();
  };

  return (
    <section class="card section" aria-labelledby="category-new-title">
      <h2 id="category-new-title">{t('categories.newTitle')}</h2>
      <form class="form category-form" noValidate onSubmit={submit}>
        <div class="form-grid">
          <Field
            label={t('categories.name')}
            required
            maxLength={NAME_MAX}
            value={name}
            inputRef={nameInput}
            error={problem ?? (create.error !== null ? errorMessage(create.error, lang) : null)}
            onInput={(e) => {
              setName(e.currentTarget.value);
              setProblem(null);
              create.reset();
            }}
          />
          <ParentSelect tree={tree} moving={null} value={parent} onChange={setParent} />
        </div>
        <div class="form-actions">
          <Button type="submit" busy={create.busy} busyText={t('categories.creating')}>
            {t('categories.create')}
          </Button>
        </div>
      </form>
    </section>
  );
}

function EditCategory({ node, tree, onSaved, onCancel }: { node: CategoryNode; tree: CategoryNode[]; onSaved(name: string): Promise<void>; onCancel(): void }) {
  const lang = useLang();
  const [name, setName] = useState(node.name);
  const [parent, setParent] = useState(node.parentId ?? '');
  const [problem, setProblem] = useState<string | null>(null);
  const update = useAction(async (input: CategoryInput) => (await request(UpdateCategoryDocument, { id: node.id, input })).updateCategory);

  const submit = async (event: Event) => {
    event.preventDefault();
    const refused = nameProblem(name);
    setProblem(refused);
    if (refused) return;
    // Only what changed: an omitted parentId keeps the category where it is.
    const input: CategoryInput = {};
    if (name.trim() !== node.name) input.name = name.trim();
    if (parent !== (node.parentId ?? '')) input.parentId = parent === '' ? null : parent;
    if (Object.keys(input).length === 0) {
      onCancel();
      return;
    }
    const saved = await update.run(input);
    if (saved) await onSaved(saved.name);
  };

  return (
    <form class="form" noValidate onSubmit={submit}>
      <Field
        label={t('categories.name')}
        required
        maxLength={NAME_MAX}
        value={name}
        error={problem}
        onInput={(e) => {
          setName(e.currentTarget.value);
          setProblem(null);
        }}
      />
      <ParentSelect tree={tree} moving={node.id} value={parent} onChange={setParent} />
      {update.error !== null && (
        <Notice kind="error" focus>
          {errorMessage(update.error, lang)}
        </Notice>
      )}
      <div class="form-actions">
        <Button type="submit" busy={update.busy} busyText={t('common.saving')}>
          {t('common.save')}
        </Button>
        <Button variant="ghost" disabled={update.busy} onClick={onCancel}>
          {t('common.cancel')}
        </Button>
      </div>
    </form>
  );
}
