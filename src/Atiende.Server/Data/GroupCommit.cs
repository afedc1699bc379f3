using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;

namespace Atiende.Server.Data;

/// <summary>
/// Saves the insert-only units of work of concurrent requests together, in one transaction per batch ("group commit").
/// SQLite has a single writer: without this, 16 clients creating tickets take turns for the write lock, back off while
/// waiting, and each pays for its own commit and for rewriting the same index pages; PostgreSQL pays a WAL flush per
/// commit. A batch is everything queued while the previous one was being written, so one client waits for nobody.
/// A unit of work that updates or deletes anything is saved directly, as usual. When a batch fails, every unit in it
/// gets the exception; callers start over from scratch and save on their own (SaveChangesAsync), so one bad unit
/// costs its neighbours a retry, never their data.
/// </summary>
public sealed class GroupCommit : IAsyncDisposable
{
    private const int MaxBatch = 64;

    private readonly IServiceScopeFactory _scopes;
    private readonly Channel<Unit> _queue = Channel.CreateUnbounded<Unit>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _writer;

    public GroupCommit(IServiceScopeFactory scopes)
    {
        _scopes = scopes;
        _writer = Task.Run(WriteBatchesAsync);
    }

    /// <summary>
    /// Saves what <paramref name="db"/> tracks. When it only adds entities, they are written in the next batch and
    /// <paramref name="db"/> stops tracking them (their generated keys are set when this returns).
    /// </summary>
    public async Task SaveAsync(AtiendeDb db, CancellationToken cancellationToken)
    {
        var entries = db.ChangeTracker.Entries().Where(e => e.State != EntityState.Unchanged).ToList();
        if (entries.Count == 0 || entries.Any(e => e.State != EntityState.Added) || db.Database.CurrentTransaction is not null)
        {
            await db.SaveChangesAsync(cancellationToken);
            return;
        }

        var unit = new Unit([.. entries.Select(e => e.Entity)]);
        db.ChangeTracker.Clear();
        await _queue.Writer.WriteAsync(unit, cancellationToken);
        // Not cancellable once queued: the batch may already be committing it, and the caller must learn its keys.
        await unit.Saved.Task.ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _writer.ConfigureAwait(false);
    }

    private async Task WriteBatchesAsync()
    {
        var batch = new List<Unit>(MaxBatch);
        while (await _queue.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var unit))
            {
                batch.Add(unit);
            }

            try
            {
                await using var scope = _scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<AtiendeDb>();
                foreach (var unit in batch)
                {
                    foreach (var entity in unit.Entities)
                    {
                        db.Add(entity);
                    }
                }

                await db.SaveChangesAsync(CancellationToken.None).ConfigureAwait(false);
                foreach (var unit in batch)
                {
                    unit.Saved.TrySetResult();
                }
            }
            catch (Exception exception)
            {
                foreach (var unit in batch)
                {
                    unit.Saved.TrySetException(exception);
                }
            }

            batch.Clear();
        }
    }

    private sealed record Unit(object[] Entities)
    {
        public TaskCompletionSource Saved { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
