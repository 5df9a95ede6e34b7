// Registration entry points of each binding file, called once per environment from addon.cc.
#pragma once

#include <napi.h>

namespace blasnet {

void RegisterKernelBindings(Napi::Env env, Napi::Object exports);
void RegisterBlasBindings(Napi::Env env, Napi::Object exports);
void RegisterTrainBindings(Napi::Env env, Napi::Object exports);
void RegisterRandomBindings(Napi::Env env, Napi::Object exports);
void RegisterMemoryBindings(Napi::Env env, Napi::Object exports);
void RegisterTrainerBindings(Napi::Env env, Napi::Object exports);
void RegisterStepBindings(Napi::Env env, Napi::Object exports);

}  // namespace blasnet
