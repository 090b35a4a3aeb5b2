using System.Text;

namespace SalesPipeline.Grains.Domain;

/// <summary>
/// FNV-1a over UTF-8, defined here so it never changes with a library upgrade: customers are sharded by it, and a customer's shard must never move.
/// (string.GetHashCode is randomized per process.)
/// </summary>
internal static class KeyHash
{
    public static uint Of(string value)
    {
        var hash = 2166136261u;
        Span<byte> buffer = stackalloc byte[256];
        var bytes = Encoding.UTF8.GetByteCount(value) <= buffer.Length ? buffer[..Encoding.UTF8.GetBytes(value, buffer)] : Encoding.UTF8.GetBytes(value);
        foreach (var b in bytes)
        {
            hash = (hash ^ b) * 16777619u;
        }

        return hash;
    }
}
