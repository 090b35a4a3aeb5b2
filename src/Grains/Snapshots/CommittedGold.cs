using Microsoft.Data.Sqlite;
using Orleans.Serialization;
using SalesPipeline.Abstractions.Model;
using SalesPipeline.Grains.Customers;
using SalesPipeline.Grains.Domain;
using SalesPipeline.Grains.Gold;
using SalesPipeline.Grains.Persistence;

namespace SalesPipeline.Grains.Snapshots;

/// <summary>The Gold tables of one committed epoch, with the checkpoint documents committed with it.</summary>
internal sealed record CommittedGold(
    long Epoch,
    IReadOnlyDictionary<string, string> Checkpoints,
    IReadOnlyList<RegionSales> Regions,
    IReadOnlyList<ProductSales> Products,
    IReadOnlyList<CustomerMetrics> Customers);

/// <summary>
/// Reads the last committed epoch straight from the pipeline's SQLite store, in one read transaction
/// (WAL gives it a stable view): the Gold states and the source positions it returns are one consistent
/// cut, whatever ingestion does meanwhile, and no grain is activated. Rows are filtered as the live
/// queries filter them (a row whose order count is zero does not exist).
/// </summary>
internal sealed class CommittedGoldReader(string connectionString, Serializer serializer)
{
    // State keys are "{stateName}/{grainType}/{key}" (EpochRowStore); the grain types are the [GrainType] names.
    private const string RegionDayPrefix = StateKeys.RegionDayPrefix;
    private const string ProductPrefix = StateKeys.ProductPrefix;
    private const string CustomerPrefix = StateKeys.CustomerPrefix;

    // Customers are the big table (one state per customer, holding its orders): kept between reads and
    // refreshed from the states committed after the last read. Only the snapshot writer calls ReadAsync.
    private readonly Dictionary<string, CustomerMetrics> customers = new(StringComparer.Ordinal);
    private long customersEpoch;

    /// <summary>The last committed epoch number only (cheap: tells whether a snapshot has anything new).</summary>
    public async Task<long> ReadEpochAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COALESCE(MAX(epoch), 0) FROM sp_checkpoint";
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task<CommittedGold> ReadAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        // Deferred: the read transaction's snapshot starts at its first read, and no write lock is taken.
        await using var transaction = connection.BeginTransaction(deferred: true);

        long epoch = 0;
        var checkpoints = new Dictionary<string, string>(StringComparer.Ordinal);
        await using (var command = connection.CreateCommand())
        {
            command.Transaction = transaction;
            command.CommandText = "SELECT name, epoch, payload FROM sp_checkpoint";
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                checkpoints[reader.GetString(0)] = reader.GetString(2);
                epoch = Math.Max(epoch, reader.GetInt64(1));
            }
        }

        var regions = new List<RegionSales>();
        await foreach (var (key, payload) in StateRows.ReadAsync(connection, transaction, RegionDayPrefix, cancellationToken))
        {
            var figures = Deserialize<RegionDayState>(payload).Figures;
            if (figures.IsLive)
            {
                var (region, date) = Contribution.ParseRegionDayKey(key);
                regions.Add(new RegionSales(region, date, figures.Orders, figures.Units, figures.Sales));
            }
        }

        var products = new List<ProductSales>();
        await foreach (var (key, payload) in StateRows.ReadAsync(connection, transaction, ProductPrefix, cancellationToken))
        {
            var state = Deserialize<ProductState>(payload);
            if (state.Figures.IsLive)
            {
                products.Add(new ProductSales(key, state.Name, state.Figures.Orders, state.Figures.Units, state.Figures.Sales));
            }
        }

        if (epoch < customersEpoch)
        {
            // A different (or reset) store: start over.
            customers.Clear();
            customersEpoch = 0;
        }

        await foreach (var (key, payload) in StateRows.ReadAsync(connection, transaction, CustomerPrefix, cancellationToken, customersEpoch))
        {
            if (Metrics(key, Deserialize<CustomerState>(payload)) is { } row)
            {
                customers[key] = row;
            }
            else
            {
                customers.Remove(key);
            }
        }

        customersEpoch = epoch;
        await transaction.CommitAsync(cancellationToken);
        return new CommittedGold(epoch, checkpoints, regions, products, [.. customers.Values]);
    }

    private static CustomerMetrics? Metrics(string customerId, CustomerState state) => LiveCustomer.From(customerId, state).ToMetrics();

    private T Deserialize<T>(byte[] payload) =>
        StatePayload.Decode<T>(serializer, payload) ?? throw new InvalidDataException($"A committed {typeof(T).Name} deserialized to null.");

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var pragma = connection.CreateCommand();
        pragma.CommandText = "PRAGMA busy_timeout = 30000;";
        await pragma.ExecuteNonQueryAsync(cancellationToken);
        return connection;
    }
}
