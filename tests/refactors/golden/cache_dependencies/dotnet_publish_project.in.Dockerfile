FROM mcr.microsoft.com/dotnet/sdk:8.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish "src/Api/Api.csproj" -c Release -r linux-musl-x64 -o /out
