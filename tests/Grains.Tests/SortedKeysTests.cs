using System.Text;
using SalesPipeline.Grains.Persistence;
using Xunit;

namespace SalesPipeline.Grains.Tests;

/// <summary>An epoch's keys are written in SQLite's BINARY order: their UTF-8 bytes compared one by one.</summary>
public sealed class SortedKeysTests
{
    [Fact]
    public void Keys_AreInTheOrderOfTheirUtf8Bytes_WithEveryRowOnce()
    {
        var random = new Random(11);
        var prefixes = new[] { "order/sp.order/", "customer/sp.customer/", "gold/", "a-very-long-shared-prefix-of-more-than-32-bytes/", "é/", "日本/", "😀/" };
        var keys = Enumerable.Range(0, 5000)
            .Select(i => prefixes[random.Next(prefixes.Length)] + random.Next(100_000).ToString(System.Globalization.CultureInfo.InvariantCulture) + (i % 7 == 0 ? "x" : ""))
            .Append("order/sp.order/1").Append("order/sp.order/10").Append("order/sp.order/") // a key that is another's prefix
            .Distinct(StringComparer.Ordinal)
            .ToArray();
        var states = keys.Select((k, i) => new StateWrite(k, BitConverter.GetBytes(i))).ToArray();

        var sorted = SortedKeys.Of(states);

        var expected = keys.OrderBy(k => Encoding.UTF8.GetBytes(k), new BytewiseComparer()).ToArray();
        Assert.Equal(keys.Length, sorted.Count);
        for (var i = 0; i < sorted.Count; i++)
        {
            Assert.Equal(expected[i], sorted.StateAt(i).StateKey);
            Assert.Equal(Encoding.UTF8.GetBytes(expected[i]), sorted.KeyAt(i).ToArray());
        }
    }

    /// <summary>The reference order, byte by byte; a key that is a prefix of another comes first.</summary>
    private sealed class BytewiseComparer : IComparer<byte[]>
    {
        public int Compare(byte[]? x, byte[]? y)
        {
            for (var i = 0; i < Math.Min(x!.Length, y!.Length); i++)
            {
                if (x[i] != y[i])
                {
                    return x[i] < y[i] ? -1 : 1;
                }
            }

            return x.Length.CompareTo(y.Length);
        }
    }
}
