using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Atiende.Domain.Access;
using Atiende.Domain.Users;
using Atiende.Server.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Atiende.Server.Auth;

/// <summary>Authenticates `Authorization: Bearer atd_...` personal API tokens, stored as SHA-256 hashes.</summary>
public sealed class BearerTokenHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    AtiendeDb db,
    ViewerCache cache)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Bearer";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (header is null || !header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.NoResult();
        }

        var hash = Hash(header["Bearer ".Length..].Trim());
        if (!cache.TryGet(hash, out var viewer))
        {
            viewer = await LoadViewerAsync(db, hash, Context.RequestAborted);
            cache.Set(hash, viewer);
        }

        return viewer is null
            ? AuthenticateResult.Fail("The API token is unknown or revoked.")
            : AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new ViewerIdentity(viewer, SchemeName)), SchemeName));
    }

    public static string NewToken() => "atd_" + Base64UrlToken(32);

    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    public static async Task<Viewer?> LoadViewerAsync(AtiendeDb db, string tokenHash, CancellationToken cancellationToken)
    {
        var row = await (
                from t in db.ApiTokens
                where t.Hash == tokenHash && t.RevokedAt == null
                join u in db.Users on t.UserId equals u.Id
                where u.Active
                select new
                {
                    u.Id,
                    u.Name,
                    u.Role,
                    u.OrganizationId,
                    Shares = db.Organizations.Where(o => o.Id == u.OrganizationId).Select(o => o.SharesTickets).FirstOrDefault(),
                })
            .AsNoTracking()
            .FirstOrDefaultAsync(cancellationToken);
        if (row is null)
        {
            return null;
        }

        var groups = row.Role == UserRole.Customer
            ? []
            : await db.GroupMembers.Where(m => m.UserId == row.Id).Select(m => m.GroupId).ToListAsync(cancellationToken);
        return new Viewer(row.Id, row.Name, row.Role, row.OrganizationId, row.Shares, groups);
    }

    private static string Base64UrlToken(int bytes) => System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(bytes));
}
