using System.Security.Cryptography;
using Atiende.Server.Shared;

namespace Atiende.Server.Mail;

/// <summary>
/// Content-addressed files under {DataDir}/blobs/ab/cd/{sha256}: the same bytes are stored once, a write is
/// idempotent, and a file written for a transaction that then failed is only an unreferenced copy.
/// </summary>
public sealed class AttachmentStore(AtiendeOptions options)
{
    private readonly string _root = Path.GetFullPath(Path.Combine(options.DataDir, "blobs"));

    public async Task<string> SaveAsync(byte[] content, CancellationToken cancellationToken)
    {
        var sha = Convert.ToHexStringLower(SHA256.HashData(content));
        var path = PathOf(sha);
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
            await File.WriteAllBytesAsync(temporary, content, cancellationToken);
            File.Move(temporary, path, overwrite: true);
        }

        return sha;
    }

    public Stream? OpenRead(string sha) =>
        sha.Length == 64 && sha.All(char.IsAsciiHexDigitLower) && File.Exists(PathOf(sha)) ? File.OpenRead(PathOf(sha)) : null;

    private string PathOf(string sha) => Path.Combine(_root, sha[..2], sha[2..4], sha);
}
