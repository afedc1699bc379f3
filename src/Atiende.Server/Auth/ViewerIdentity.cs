using System.Security.Claims;
using Atiende.Domain.Access;

namespace Atiende.Server.Auth;

/// <summary>The authenticated identity carries the <see cref="Viewer"/> so handlers never reload it.</summary>
public sealed class ViewerIdentity(Viewer viewer, string scheme)
    : ClaimsIdentity(
        [
            new Claim(ClaimTypes.NameIdentifier, viewer.UserId.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new Claim(ClaimTypes.Name, viewer.Name),
            new Claim(ClaimTypes.Role, viewer.Role.ToString()),
        ],
        scheme)
{
    public Viewer Viewer { get; } = viewer;
}

public static class ViewerExtensions
{
    public static Viewer Viewer(this ClaimsPrincipal principal) =>
        principal.Identities.OfType<ViewerIdentity>().FirstOrDefault()?.Viewer
        ?? throw new InvalidOperationException("The endpoint requires authentication but no viewer is attached.");
}
