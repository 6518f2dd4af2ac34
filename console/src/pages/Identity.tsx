// Users, groups, policies and access keys through MinIO's admin API.  list-users and the access
// key list come back encrypted under the caller's secret (Argon2id: a second or so); add-user's
// body is encrypted here (PBKDF2 + AES-GCM).  A principal without the admin actions sees the
// server's refusal in place of each list, and of each change it tries.
import { useState } from "preact/hooks";
import type { S3 } from "../s3";
import {
  addAccessKey, addPolicy, addUser, deleteGroup, groupInfo, listAccessKeys, listGroups, listPolicies, listUsers, removeAccessKey,
  removePolicy, removeUser, setPolicy, setUserStatus, updateGroup,
} from "../admin";
import { ErrorBox, attempt, message, useLoad } from "../ui";

/** The policy a user or group has, changed by choosing another ("" for none). */
function PolicySelect({ cls, current, policies, choose }: { cls: string; current: string; policies: string[]; choose: (policy: string) => void }) {
  return (
    <select class={cls} value={current} onChange={(e) => choose(e.currentTarget.value)}>
      <option value="">no policy</option>
      {policies.map((p) => (
        <option key={p} value={p}>
          {p}
        </option>
      ))}
      {current && !policies.includes(current) ? <option value={current}>{current}</option> : null}
    </select>
  );
}

function Users({ s3, policies }: { s3: S3; policies: string[] }) {
  const users = useLoad(() => listUsers(s3), []);
  const [name, setName] = useState("");
  const [secret, setSecret] = useState("");
  const [policy, setPolicyName] = useState("");
  const [keysOf, setKeysOf] = useState(""); // the user whose access keys are shown
  const create = async (e: Event) => {
    e.preventDefault();
    const ok = await attempt(users.setError, async () => {
      await addUser(s3, name.trim(), secret);
      if (policy) await setPolicy(s3, policy, name.trim(), false);
    });
    if (ok) {
      setName("");
      setSecret("");
      await users.reload();
    }
  };
  const remove = async (user: string) => {
    if (confirm(`Delete user ${user}?`) && (await attempt(users.setError, () => removeUser(s3, user)))) {
      if (keysOf === user) setKeysOf("");
      await users.reload();
    }
  };
  const toggle = async (user: string, status: string) => {
    const next = status === "enabled" ? "disabled" : "enabled";
    if (await attempt(users.setError, () => setUserStatus(s3, user, next))) await users.reload();
  };
  return (
    <div class="doc" id="users">
      <h3>Users</h3>
      <form class="row" onSubmit={create}>
        <input id="new-user" placeholder="access key" value={name} onInput={(e) => setName(e.currentTarget.value)} required />
        <input id="new-user-secret" type="password" placeholder="secret key (8+ characters)" value={secret} onInput={(e) => setSecret(e.currentTarget.value)} required minLength={8} />
        <select id="new-user-policy" value={policy} onChange={(e) => setPolicyName(e.currentTarget.value)}>
          <option value="">no policy</option>
          {policies.map((p) => (
            <option key={p} value={p}>
              {p}
            </option>
          ))}
        </select>
        <button id="create-user" type="submit">
          Create user
        </button>
      </form>
      <ErrorBox error={users.error} />
      {users.busy && !users.data ? <p class="muted">Loading (the answer is encrypted: deriving the key)…</p> : null}
      <table>
        <tbody>
          {Object.entries(users.data ?? {}).map(([user, info]) => (
            <tr key={user} data-user={user}>
              <td>{user}</td>
              <td class="status">{info.status}</td>
              <td>
                <PolicySelect
                  cls="user-policy"
                  current={info.policyName ?? ""}
                  policies={policies}
                  choose={(chosen) => void attempt(users.setError, () => setPolicy(s3, chosen, user, false)).then(users.reload)}
                />
              </td>
              <td>{(info.memberOf ?? []).join(", ")}</td>
              <td class="actions">
                <button class="toggle-status" onClick={() => void toggle(user, info.status)}>
                  {info.status === "enabled" ? "Disable" : "Enable"}
                </button>
                <button class="user-keys" onClick={() => setKeysOf(keysOf === user ? "" : user)}>
                  Access keys
                </button>
                <button class="delete-user" onClick={() => void remove(user)}>
                  Delete
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {keysOf ? <AccessKeys s3={s3} user={keysOf} key={keysOf} /> : null}
    </div>
  );
}

function Groups({ s3, policies }: { s3: S3; policies: string[] }) {
  const groups = useLoad(async () => Promise.all(((await listGroups(s3)) ?? []).map((g) => groupInfo(s3, g))), []);
  const [group, setGroup] = useState("");
  const [members, setMembers] = useState("");
  const save = async (e: Event) => {
    e.preventDefault();
    const list = members.split(",").map((m) => m.trim()).filter(Boolean);
    if (await attempt(groups.setError, () => updateGroup(s3, group.trim(), list))) {
      setGroup("");
      setMembers("");
      await groups.reload();
    }
  };
  const removeMember = async (name: string, member: string) => {
    if (confirm(`Remove ${member} from ${name}?`) && (await attempt(groups.setError, () => updateGroup(s3, name, [member], true)))) {
      await groups.reload();
    }
  };
  const remove = async (name: string, members: string[]) => {
    const first = members.length ? ` Its ${members.length} member(s) are removed from it first.` : "";
    if (!confirm(`Delete group ${name}?${first}`)) return;
    try {
      await deleteGroup(s3, name, members);
      await groups.reload();
    } catch (e) {
      await groups.reload(); // the members may be gone even though the group is not
      groups.setError(message(e));
    }
  };
  return (
    <div class="doc" id="groups">
      <h3>Groups</h3>
      <form class="row" onSubmit={save}>
        <input id="new-group" placeholder="group" value={group} onInput={(e) => setGroup(e.currentTarget.value)} required />
        <input id="new-group-members" placeholder="members, comma-separated" value={members} onInput={(e) => setMembers(e.currentTarget.value)} />
        <button id="add-members" type="submit">Add members</button>
      </form>
      <ErrorBox error={groups.error} />
      <table>
        <tbody>
          {(groups.data ?? []).map((g) => (
            <tr key={g.name} data-group={g.name}>
              <td>{g.name}</td>
              <td>{g.status}</td>
              <td class="members">
                {(g.members ?? []).map((m) => (
                  <span class="member" key={m} data-member={m}>
                    {m}
                    <button class="link remove-member" title={`Remove ${m} from ${g.name}`} onClick={() => void removeMember(g.name, m)}>
                      ×
                    </button>{" "}
                  </span>
                ))}
              </td>
              <td>
                <PolicySelect
                  cls="group-policy"
                  current={g.policy ?? ""}
                  policies={policies}
                  choose={(chosen) => void attempt(groups.setError, () => setPolicy(s3, chosen, g.name, true)).then(groups.reload)}
                />
              </td>
              <td class="actions">
                <button class="delete-group" onClick={() => void remove(g.name, g.members ?? [])}>
                  Delete
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {groups.data && !groups.data.length ? <p class="muted">No groups.</p> : null}
    </div>
  );
}

function Policies({ s3, data, reload, error, setError }: { s3: S3; data?: Record<string, unknown>; reload: () => Promise<void>; error: string; setError: (s: string) => void }) {
  const [name, setName] = useState("");
  const [doc, setDoc] = useState("");
  const [shown, setShown] = useState("");
  const save = async (e: Event) => {
    e.preventDefault();
    if (await attempt(setError, () => addPolicy(s3, name.trim(), doc))) await reload();
  };
  return (
    <div class="doc" id="policies">
      <h3>Policies</h3>
      <ErrorBox error={error} />
      <ul>
        {Object.keys(data ?? {}).map((p) => (
          <li key={p}>
            <button class="link" onClick={() => setShown(shown === p ? "" : p)}>
              {p}
            </button>{" "}
            <button class="small" onClick={() => void attempt(setError, () => removePolicy(s3, p)).then(reload)}>
              Delete
            </button>
            {shown === p ? <pre>{JSON.stringify((data ?? {})[p], null, 2)}</pre> : null}
          </li>
        ))}
      </ul>
      <form onSubmit={save}>
        <div class="row">
          <input placeholder="policy name" value={name} onInput={(e) => setName(e.currentTarget.value)} required />
          <button type="submit">Save policy</button>
        </div>
        <textarea rows={6} placeholder='{"Version": "2012-10-17", "Statement": [...]}' value={doc} onInput={(e) => setDoc(e.currentTarget.value)} />
      </form>
    </div>
  );
}

/** The access keys of the signed-in principal, or of `user` (an admin's view of another user's:
 * list-service-accounts?user=, add-service-account with targetUser). */
function AccessKeys({ s3, user = "" }: { s3: S3; user?: string }) {
  const keys = useLoad(() => listAccessKeys(s3, user), [user]);
  const [made, setMade] = useState<{ accessKey: string; secretKey: string } | null>(null);
  const [name, setName] = useState("");
  const create = async (e: Event) => {
    e.preventDefault();
    if (await attempt(keys.setError, async () => setMade(await addAccessKey(s3, name.trim(), user)))) await keys.reload();
  };
  const remove = async (key: string) => {
    if (confirm(`Delete access key ${key}?`) && (await attempt(keys.setError, () => removeAccessKey(s3, key)))) await keys.reload();
  };
  return (
    <div class="doc" id={user ? "user-access-keys" : "access-keys"} data-user={user}>
      <h3>Access keys of {user || s3.creds.accessKey}</h3>
      <p class="muted">An access key acts as its user (narrowed by its own policy, set with mc admin user svcacct edit).</p>
      <form class="row" onSubmit={create}>
        <input placeholder="name (optional)" value={name} onInput={(e) => setName(e.currentTarget.value)} />
        <button class="create-access-key" id={user ? undefined : "create-access-key"} type="submit">
          Create access key
        </button>
      </form>
      {made ? (
        <div class="notice new-access-key" id={user ? undefined : "new-access-key"}>
          New key <code>{made.accessKey}</code>, secret <code>{made.secretKey}</code>: copy the secret now, it is not shown again.
        </div>
      ) : null}
      <ErrorBox error={keys.error} />
      <table>
        <tbody>
          {(keys.data ?? []).map((k) => (
            <tr key={k.accessKey} data-access-key={k.accessKey}>
              <td>
                <code>{k.accessKey}</code>
              </td>
              <td>{k.expiration && !k.expiration.startsWith("1970") && !k.expiration.startsWith("9999") ? `expires ${k.expiration}` : ""}</td>
              <td>
                <button class="delete-access-key" onClick={() => void remove(k.accessKey)}>
                  Delete
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {keys.data && !keys.data.length ? <p class="muted">None.</p> : null}
    </div>
  );
}

export function Identity({ s3 }: { s3: S3 }) {
  const policies = useLoad(() => listPolicies(s3), []);
  return (
    <section>
      <h2>Identity</h2>
      <Users s3={s3} policies={Object.keys(policies.data ?? {})} />
      <Groups s3={s3} policies={Object.keys(policies.data ?? {})} />
      <Policies s3={s3} data={policies.data} reload={policies.reload} error={policies.error} setError={policies.setError} />
      <AccessKeys s3={s3} />
    </section>
  );
}
