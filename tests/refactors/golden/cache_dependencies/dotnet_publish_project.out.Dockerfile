FROM mcr.microsoft.com/dotnet/sdk:8.0 AS build
WORKDIR /src
COPY src/Api/Api.csproj src/Api/
RUN dotnet restore src/Api/Api.csproj -r linux-musl-x64
COPY . .
RUN dotnet publish "src/Api/Api.csproj" -c Release -r linux-musl-x64 -o /out
