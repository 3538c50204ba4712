using AutoMapper;
using OrderHub.Domain.History;
using OrderHub.Domain.Orders;

namespace OrderHub.Api.Features.Orders;

public sealed class OrderMappingProfile : Profile
{
    public OrderMappingProfile()
    {
        CreateMap<Order, OrderSummaryDto>().ForMember(d => d.HeldUntil, o => o.Ignore());
        CreateMap<Order, OrderDetailsDto>().ForMember(d => d.History, o => o.Ignore()).ForMember(d => d.HeldUntil, o => o.Ignore());
        CreateMap<OrderAddress, OrderAddressDto>();
        CreateMap<OrderLine, OrderLineDto>();
        CreateMap<OrderLineModifier, OrderLineModifierDto>();
        CreateMap<OrderPromotion, OrderPromotionDto>();
        CreateMap<OrderAction, OrderActionDto>();
    }
}
