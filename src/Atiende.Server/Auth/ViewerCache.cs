using System.Collections.Concurrent;
using Atiende.Domain.Access;

namespace Atiende.Server.Auth;

/// <summary>
/// Token hash → viewer, for a short while, so an API call costs no extra queries to authenticate.
/// Any change to users, groups, memberships, organizations or tokens clears it in this process;
/// other processes see such a change after at most <see cref="Lifetime"/>.
/// </summary>
public sealed class ViewerCache(TimeProvider clock)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(30);
    private const int MaxEntries = 10_000;
    private readonly ConcurrentDictionary<string, (Viewer? Viewer, DateTimeOffset Expires)> _entries = new(StringComparer.Ordinal);

    public bool TryGet(string tokenHash, out Viewer? viewer)
    {
        if (_entries.TryGetValue(tokenHash, out var entry) && entry.Expires > clock.GetUtcNow())
        {
            viewer = entry.Viewer;
            return true;
        }

        viewer = null;
        return false;
    }

    public void Set(string tokenHash, Viewer? viewer)
    {
        if (_entries.Count >= MaxEntries)
        {
            _entries.Clear();
        }

        _entries[tokenHash] = (viewer, clock.GetUtcNow() + Lifetime);
    }

    public void Invalidate() => _entries.Clear();
}
