/** The media page's upload queue: XHR multipart uploads of UploadMedia, two at a time. */
import { UploadMediaDocument, type MediaItemFragment, type MediaSection, type UploadMediaMutation } from '../../generated/graphql';
import { ApiError } from '../../lib/errors';
import { precheckFile, uploadMultipart, UploadQueue, type UploadItem } from '../../lib/upload';
import { sessionEnded } from '../session';

export interface UploadOptions {
  section: MediaSection;
  alt: string;
}

export type MediaUpload = UploadItem<MediaItemFragment, UploadOptions>;

export function createMediaQueue(onDone: (media: MediaItemFragment, item: MediaUpload) => void): UploadQueue<File, MediaItemFragment, UploadOptions> {
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
