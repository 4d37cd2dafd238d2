/** Media upload queues: XHR multipart uploads of UploadMedia, two at a time. */
import { useEffect, useMemo, useState } from 'preact/hooks';
import { UploadMediaDocument, type MediaItemFragment, type MediaSection, type UploadMediaMutation } from '../../generated/graphql';
import { ApiError } from '../../lib/errors';
import { precheckFile, uploadMultipart, UploadQueue, type UploadItem } from '../../lib/upload';
import { sessionEnded } from '../session';

export interface UploadOptions {
  section: MediaSection;
  alt: string;
}

export type MediaUpload = UploadItem<MediaItemFragment, UploadOptions>;

type OnDone = (media: MediaItemFragment, item: MediaUpload) => void;

/**
 * A queue that lives as long as the component, and its files as they go; leaving cancels
 * what is still on its way. The queue is made once, so `onDone` is the first render's:
 * what it reads must not go stale (refs, state setters).
 */
export function useMediaQueue(onDone: OnDone): { queue: UploadQueue<File, MediaItemFragment, UploadOptions>; uploads: readonly MediaUpload[] } {
  const [uploads, setUploads] = useState<readonly MediaUpload[]>([]);
  const queue = useMemo(() => createMediaQueue(onDone), []);
  useEffect(() => {
    const off = queue.subscribe((items) => setUploads(items));
    return () => {
      off();
      queue.cancelAll();
    };
  }, [queue]);
  return { queue, uploads };
}

function createMediaQueue(onDone: OnDone): UploadQueue<File, MediaItemFragment, UploadOptions> {
  return new UploadQueue<File, MediaItemFragment, UploadOptions>(
    async (file, options, handlers, signal) => {
      const alt = options.alt.trim();
      const data = await uploadMultipart<UploadMediaMutation>({
        query: UploadMediaDocument.toString(),
        variables: { alt: alt === '' ? null : alt, section: options.section },
        file,
        signal,
        onProgress: handlers.onProgress,
        onSent: handlers.onSent,
        onSessionEnded: (error: ApiError) => {
          if (error.code === 'UNAUTHENTICATED') sessionEnded();
        },
      });
      return data.uploadMedia;
    },
    {
      concurrency: 2,
      precheck: precheckFile,
      onDone: (media, item) => onDone(media, item as MediaUpload),
    },
  );
}
