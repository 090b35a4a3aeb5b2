using SalesPipeline.Abstractions.Model;
using SalesPipeline.Grains.Hosting;
using SalesPipeline.Quality;

namespace SalesPipeline.Grains.Ingestion;

/// <summary>The expectations of a source: the global ones, then the source's own, compiled against the pipeline's fields.</summary>
internal static class SourceExpectations
{
    /// <exception cref="ExpectationConfigurationException">A rule does not compile; the message names it.</exception>
    public static ExpectationSet? Compile(PipelineOptions options, SourceOptions? source)
    {
        var definitions = options.Expectations.Concat(source?.Expectations ?? []).Select(e => e.ToDefinition()).ToList();
        return definitions.Count == 0 ? null : ExpectationSet.Compile(FieldSchema.Pipeline, definitions);
    }
}

/// <summary>
/// The fields of the line being checked, for the expectation evaluator: an item of an order event with
/// the event's order-level fields, or a line of a line source. One instance per reading thread, its
/// current line swapped per evaluation.
/// </summary>
internal sealed class ExpectationFields : IFieldReader
{
    private string orderId = "";
    private string? lineId;
    private string? eventId;
    private string? status;
    private string? channel;
    private long? sequence;
    private DateTimeOffset? eventTime;
    private DateTimeOffset orderTime;
    private string? customerId;
    private string? region;
    private string? country;
    private string? currency;
    private OrderLine? item;

    /// <summary>One item (null for an event without items) of an order event.</summary>
    public ExpectationFields ForEvent(OrderEvent order, OrderLine? line)
    {
        orderId = order.OrderId;
        lineId = null;
        eventId = order.EventId;
        status = order.Status.ToString().ToLowerInvariant();
        channel = order.Channel;
        sequence = order.Sequence;
        eventTime = order.EventTime;
        orderTime = order.OrderTime;
        customerId = order.CustomerId;
        region = order.Region;
        country = order.Country;
        currency = order.Currency;
        item = line;
        return this;
    }

    /// <summary>One line of a line source, with its status and region as written (null when absent or not mapped).</summary>
    public ExpectationFields ForLine(string order, string? line, SourceLine mapped, string? statusText, string? regionText)
    {
        orderId = order;
        lineId = line;
        eventId = null;
        status = statusText;
        channel = null;
        sequence = null;
        eventTime = null;
        orderTime = mapped.OrderTime;
        customerId = mapped.CustomerId;
        region = regionText;
        country = mapped.Country;
        currency = mapped.Currency;
        item = mapped.Line;
        return this;
    }

    public decimal? GetNumber(int ordinal) => ordinal switch
    {
        PipelineFields.Quantity => item?.Quantity,
        PipelineFields.UnitPrice => item?.UnitPrice,
        PipelineFields.Discount => item?.Discount,
        PipelineFields.LineAmount => item?.Amount,
        PipelineFields.Sequence => sequence,
        _ => null,
    };

    public string? GetText(int ordinal) => ordinal switch
    {
        PipelineFields.OrderId => orderId,
        PipelineFields.LineId => lineId,
        PipelineFields.EventId => eventId,
        PipelineFields.ProductId => item?.ProductId,
        PipelineFields.ProductName => item?.ProductName,
        PipelineFields.CustomerId => customerId,
        PipelineFields.Region => region,
        PipelineFields.Country => country,
        PipelineFields.Currency => currency,
        PipelineFields.Status => status,
        PipelineFields.Channel => channel,
        _ => null,
    };

    public DateTimeOffset? GetTimestamp(int ordinal) => ordinal switch
    {
        PipelineFields.OrderTime => orderTime,
        PipelineFields.EventTime => eventTime,
        _ => null,
    };

    public bool? GetBoolean(int ordinal) => null;
}
