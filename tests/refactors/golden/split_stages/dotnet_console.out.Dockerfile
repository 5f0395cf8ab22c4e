FROM mcr.microsoft.com/dotnet/sdk:8.0-bookworm-slim AS builder
WORKDIR /src
COPY . .
RUN dotnet publish -c Release -o out

FROM mcr.microsoft.com/dotnet/runtime:8.0-bookworm-slim
WORKDIR /src
COPY --from=builder /src/out /src/out
CMD ["dotnet", "/src/out/Reporter.dll", "--daily"]
