/**
 * Ports to other services. The users service owns people and ficha membership; this service only asks.
 */
export interface UserRecord {
  id: string;
  first_name: string | null;
  last_name: string | null;
  full_name: string | null;
  role: string;
  is_active: boolean;
  is_deleted: boolean;
  document_type?: string | null;
  document_number?: string | null;
  email?: string | null;
}

/** `token` = the caller's bearer (R30) or undefined for this service's own service token. */
export interface CallAs {
  token?: string;
  requestId?: string;
}

export interface ApprenticeQuery {
  group_id: string;
  is_active?: boolean;
  search?: string;
  page: number;
  page_size: number;
  sort?: string;
}

export interface UsersPort {
  /** U12 lookup by ids and/or document numbers (≤ 500 keys per call; the adapter batches). */
  lookup(keys: { ids?: string[]; document_numbers?: string[] }, as: CallAs): Promise<UserRecord[]>;
  /** U1 filtered to a ficha's apprentices; `total` is the real count. */
  listApprentices(query: ApprenticeQuery, as: CallAs): Promise<{ items: UserRecord[]; total: number }>;
}
