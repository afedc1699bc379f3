using System.Security.Claims;
using Atiende.Server.Data;
using Atiende.Server.Shared;
using Atiende.Server.Users;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Atiende.Server.Auth;

public static class ManageTokens
{
    public sealed record TokenRow(long Id, string Name, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt);

    public static async Task<Ok<Page<TokenRow>>> List(ClaimsPrincipal user, AtiendeDb db, CancellationToken cancellationToken)
    {
        var me = user.Viewer().UserId;
        var rows = await db.ApiTokens.Where(t => t.UserId == me).OrderBy(t => t.Id)
            .Select(t => new TokenRow(t.Id, t.Name, t.CreatedAt, t.RevokedAt)).Take(1000).ToListAsync(cancellationToken);
        return TypedResults.Ok(new Page<TokenRow>(rows, null));
    }

    /// <summary>Own tokens, or any token for an admin; someone else's token answers 404 like a missing one.</summary>
    public static async Task<Results<NoContent, ProblemHttpResult>> Revoke(
        long id, ClaimsPrincipal user, AtiendeDb db, ViewerCache cache, TimeProvider clock, CancellationToken cancellationToken)
    {
        var viewer = user.Viewer();
        var token = await db.ApiTokens.FirstOrDefaultAsync(t => t.Id == id && (viewer.IsAdmin || t.UserId == viewer.UserId), cancellationToken);
        if (token is null)
        {
            return Problems.NotFound($"Token {id}");
        }

        token.RevokedAt ??= clock.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        cache.Invalidate();
        return TypedResults.NoContent();
    }

    public static async Task<Results<Ok<UserResponse>, ProblemHttpResult>> Me(ClaimsPrincipal user, AtiendeDb db, CancellationToken cancellationToken)
    {
        var me = user.Viewer().UserId;
        var row = await db.Users.Where(u => u.Id == me).Select(UserResponse.Projection).FirstOrDefaultAsync(cancellationToken);
        return row is null ? Problems.NotFound("User") : TypedResults.Ok(row);
    }
}
