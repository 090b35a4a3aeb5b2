using System.Buffers.Binary;
using System.Text;

namespace SalesPipeline.Grains.Persistence;

/// <summary>
/// An epoch's rows with their keys in UTF-8, sorted bytewise (memcmp's order, which is SQLite's BINARY collation).
/// Each entry carries its key's first 32 bytes as four big-endian integers, so most comparisons never leave
/// the array being sorted: sorting strings (or arrays of bytes) ordinally chased a pointer per comparison into
/// a cache miss, a fifth of the last epoch's write for 200k rows. Keys are written into one buffer.
/// </summary>
internal sealed class SortedKeys
{
    private readonly byte[] buffer;
    private readonly Entry[] entries;
    private readonly IReadOnlyList<StateWrite> states;

    private SortedKeys(byte[] buffer, Entry[] entries, IReadOnlyList<StateWrite> states)
    {
        this.buffer = buffer;
        this.entries = entries;
        this.states = states;
    }

    public int Count => entries.Length;

    /// <summary>The UTF-8 key of the <paramref name="i"/>-th row in key order.</summary>
    public ReadOnlySpan<byte> KeyAt(int i) => buffer.AsSpan(entries[i].Offset, entries[i].Length);

    /// <summary>The <paramref name="i"/>-th row in key order.</summary>
    public StateWrite StateAt(int i) => states[entries[i].Index];

    public static SortedKeys Of(IReadOnlyList<StateWrite> states)
    {
        var size = 0;
        for (var i = 0; i < states.Count; i++)
        {
            size += Encoding.UTF8.GetMaxByteCount(states[i].StateKey.Length);
        }

        var buffer = new byte[size];
        var entries = new Entry[states.Count];
        var offset = 0;
        Span<byte> prefix = stackalloc byte[32];
        for (var i = 0; i < states.Count; i++)
        {
            var length = Encoding.UTF8.GetBytes(states[i].StateKey, buffer.AsSpan(offset));
            var key = buffer.AsSpan(offset, length);
            prefix.Clear();
            key[..Math.Min(length, prefix.Length)].CopyTo(prefix);
            entries[i] = new Entry(
                BinaryPrimitives.ReadUInt64BigEndian(prefix),
                BinaryPrimitives.ReadUInt64BigEndian(prefix[8..]),
                BinaryPrimitives.ReadUInt64BigEndian(prefix[16..]),
                BinaryPrimitives.ReadUInt64BigEndian(prefix[24..]),
                offset,
                length,
                i);
            offset += length;
        }

        Array.Sort(entries, new Order(buffer));
        return new SortedKeys(buffer, entries, states);
    }

    private readonly record struct Entry(ulong P0, ulong P1, ulong P2, ulong P3, int Offset, int Length, int Index);

    private sealed class Order(byte[] buffer) : IComparer<Entry>
    {
        public int Compare(Entry x, Entry y)
        {
            var c = x.P0.CompareTo(y.P0);
            if (c != 0)
            {
                return c;
            }

            c = x.P1.CompareTo(y.P1);
            if (c != 0)
            {
                return c;
            }

            c = x.P2.CompareTo(y.P2);
            if (c != 0)
            {
                return c;
            }

            c = x.P3.CompareTo(y.P3);
            if (c != 0)
            {
                return c;
            }

            // Equal first 32 bytes (zero-padded: keys hold no zero byte, so a shorter key still sorts first).
            return buffer.AsSpan(x.Offset, x.Length).SequenceCompareTo(buffer.AsSpan(y.Offset, y.Length));
        }
    }
}
