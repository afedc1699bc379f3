using System.Security.Cryptography;
using Atiende.Domain.Users;
using Microsoft.AspNetCore.Identity;

namespace Atiende.Server.Auth;

/// <summary>ASP.NET Core Identity's PBKDF2 hasher, without the rest of Identity.</summary>
public sealed class Passwords
{
    public const int MinLength = 8;
    private readonly PasswordHasher<User> _hasher = new();

    // Verifying against a real hash for unknown emails keeps the answer time the same, so emails cannot be probed.
    private readonly string _decoy;

    public Passwords() => _decoy = _hasher.HashPassword(null!, "decoy-password-never-matches");

    public string Hash(User user, string password) => _hasher.HashPassword(user, password);

    public bool Verify(User? user, string password)
    {
        if (user?.PasswordHash is null || !user.Active)
        {
            _hasher.VerifyHashedPassword(null!, _decoy, password);
            return false;
        }

        return _hasher.VerifyHashedPassword(user, user.PasswordHash, password) != PasswordVerificationResult.Failed;
    }

    public static string Generate() =>
        System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(12));
}
